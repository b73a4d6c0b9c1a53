/** The oscillator API the chime needs (a subset of `AudioContext`, so tests can stand in). */
export interface ChimeAudio {
  readonly state: string;
  readonly currentTime: number;
  readonly destination: AudioNode;
  resume: () => Promise<void>;
  createOscillator: () => OscillatorNode;
  createGain: () => GainNode;
}

/**
 * A short two-note chime made with Web Audio: no file to fetch, nothing for a CSP to block.
 * Browsers keep an audio context suspended until the visitor has interacted with the page (the
 * loader delegates that permission to the frame with `allow="autoplay"`); until then the chime
 * stays silent, and one asked for meanwhile is dropped rather than played late. `onPlayed` hears
 * of every chime that sounded.
 */
export function createChime(
  newContext: () => ChimeAudio | null,
  onPlayed: () => void = () => undefined,
  waitMs = 200,
): () => void {
  let context: ChimeAudio | null = null;
  const play = (audio: ChimeAudio) => {
    if (audio.state !== 'running') return;
    const start = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.5);
    [880, 1320].forEach((frequency, i) => {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(start + i * 0.12);
      tone.stop(start + 0.5);
    });
    onPlayed();
  };
  return () => {
    try {
      context ??= newContext();
      const audio = context;
      if (!audio) return;
      if (audio.state === 'running') {
        play(audio);
        return;
      }
      const waited = new Promise<void>((resolve) => setTimeout(resolve, waitMs));
      void Promise.race([audio.resume(), waited]).then(() => {
        play(audio);
      });
    } catch {
      // No audio on this device: the badge and the title still say it.
    }
  };
}
