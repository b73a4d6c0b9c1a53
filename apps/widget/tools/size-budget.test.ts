import type { Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { entryFiles, gzipBudget, gzipSize } from './size-budget';

function run(plugin: ReturnType<typeof gzipBudget>, bundle: Record<string, unknown>) {
  const hook = plugin.generateBundle;
  const handler = typeof hook === 'function' ? hook : hook?.handler;
  if (!handler) throw new Error('the plugin has no generateBundle hook');
  const context = {
    error: (message: string) => {
      throw new Error(message);
    },
  };
  // Only `error` is used from the plugin context.
  void handler.call(context as never, {} as never, bundle as unknown as Rollup.OutputBundle, false);
}

describe('the gzip budget plugin', () => {
  const small = 'console.log(1);';
  const random = Array.from({ length: 4000 }, (_, i) => ((i * 7919) % 9973).toString(36)).join('');

  it('passes a chunk within budget', () => {
    expect(() => {
      run(gzipBudget('widget.js', 1024), { 'widget.js': { type: 'chunk', code: small } });
    }).not.toThrow();
  });

  it('fails the build for a chunk over budget, naming both sizes', () => {
    const size = gzipSize(random);
    expect(size).toBeGreaterThan(1024);
    expect(() => {
      run(gzipBudget('widget.js', 1024), { 'widget.js': { type: 'chunk', code: random } });
    }).toThrow(`widget.js is ${size} bytes gzipped; the budget is 1024 bytes`);
  });

  it('fails when the file was not emitted', () => {
    expect(() => {
      run(gzipBudget('widget.js', 1024), {});
    }).toThrow('widget.js was not emitted');
  });
});

describe('the files an entry loads', () => {
  it('follows static imports transitively, once each, and leaves dynamic imports out', () => {
    expect(
      entryFiles({
        'index.html': {
          file: 'assets/index.js',
          isEntry: true,
          imports: ['_react.js', '_shared.js'],
        },
        '_react.js': { file: 'assets/react.js', imports: ['_shared.js'] },
        '_shared.js': { file: 'assets/shared.js' },
        'Survey.tsx': { file: 'assets/Survey.js', imports: ['_shared.js'] },
      }),
    ).toEqual(['assets/index.js', 'assets/react.js', 'assets/shared.js']);
  });

  it('adds the named dynamic imports of the entries and their static imports', () => {
    expect(
      entryFiles(
        {
          'index.html': {
            file: 'assets/index.js',
            isEntry: true,
            dynamicImports: [
              'Survey.tsx',
              '../../node_modules/socket.io-client/build/esm/index.js',
            ],
          },
          'Survey.tsx': { file: 'assets/Survey.js', imports: ['index.html'] },
          '../../node_modules/socket.io-client/build/esm/index.js': {
            file: 'assets/esm.js',
            imports: ['index.html', '_emitter.js'],
          },
          '_emitter.js': { file: 'assets/emitter.js' },
        },
        ['socket.io-client'],
      ),
    ).toEqual(['assets/index.js', 'assets/esm.js', 'assets/emitter.js']);
  });

  it('fails when a named module is not imported dynamically by an entry', () => {
    expect(() =>
      entryFiles({ 'index.html': { file: 'assets/index.js', isEntry: true } }, [
        'socket.io-client',
      ]),
    ).toThrow('no entry imports socket.io-client dynamically');
  });

  it('fails on an import the manifest does not describe', () => {
    expect(() =>
      entryFiles({
        'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_gone.js'] },
      }),
    ).toThrow('the manifest names _gone.js but has no entry for it');
  });
});
