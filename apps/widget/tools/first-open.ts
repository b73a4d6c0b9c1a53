import type { HtmlTagDescriptor, Plugin, Rollup } from 'vite';

/**
 * The modules the frame imports dynamically but loads on every first open, named as they are
 * imported: the socket.io client, fetched for the chat's connection, and a first open is not over
 * until the chat is connected. Parts shown only in some situations (the survey, the pre-chat form,
 * the list of past conversations, files, the check of what the host page passes) are not here.
 * The weight check counts these chunks; the frame's HTML preloads them.
 */
export const FIRST_OPEN_IMPORTS = ['socket.io-client'] as const;

/**
 * Whether a module id or manifest key is the module imported as `specifier`: a package (a path
 * inside `node_modules/<specifier>/`) or a file of the app (its path from the root).
 */
export function isModule(id: string, specifier: string): boolean {
  return id === specifier || id.includes(`node_modules/${specifier}/`);
}

/**
 * Adds `<link rel="modulepreload">` to the HTML for the chunks of `specifiers` (dynamic imports
 * every first open makes) and for their static imports: the browser fetches them while the entry
 * loads, so splitting them off the entry never delays what waits for them (the connection).
 */
export function preloadDynamicImports(specifiers: readonly string[]): Plugin {
  let base = '/';
  return {
    name: 'parley:preload-dynamic-imports',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml(_html, { bundle }) {
      if (!bundle) return [];
      const chunks = Object.values(bundle).filter(
        (output): output is Rollup.OutputChunk => output.type === 'chunk',
      );
      const files = new Set<string>();
      const visit = (chunk: Rollup.OutputChunk) => {
        if (chunk.isEntry || files.has(chunk.fileName)) return;
        files.add(chunk.fileName);
        for (const imported of chunk.imports) {
          const next = bundle[imported];
          if (next?.type === 'chunk') visit(next);
        }
      };
      for (const specifier of specifiers) {
        const chunk = chunks.find(
          (candidate) =>
            candidate.isDynamicEntry &&
            candidate.facadeModuleId !== null &&
            isModule(candidate.facadeModuleId, specifier),
        );
        if (!chunk) throw new Error(`no chunk is the dynamic import of ${specifier}`);
        visit(chunk);
      }
      return [...files].map((file): HtmlTagDescriptor => ({
        tag: 'link',
        attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` },
        injectTo: 'head',
      }));
    },
  };
}
