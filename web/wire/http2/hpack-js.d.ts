// Types for the two data modules of hpack.js 2.1.6 that the HPACK decoder uses. They are plain
// data with no require(); the package's entry point pulls in readable-stream and Node's Buffer,
// which the browser bundle does not have (see web/wire/README.md, "HPACK").
declare module 'hpack.js/lib/hpack/static-table.js' {
  const staticTable: {
    /** RFC 7541 Appendix A, index 1 first */
    table: ReadonlyArray<{ name: string; value: string; nameSize: number; totalSize: number }>;
  };
  export default staticTable;
}

declare module 'hpack.js/lib/hpack/huffman.js' {
  const huffman: {
    /** RFC 7541 Appendix B: for each symbol 0..256 (256 = EOS), [bit length, code] */
    encode: ReadonlyArray<readonly [number, number]>;
  };
  export default huffman;
}

declare module 'hpack.js' {
  import type { Duplex } from 'node:stream';
  interface Decompressor extends Duplex {
    execute(callback?: (error: Error | null) => void): void;
    updateTableSize(size: number): void;
  }
  const hpack: {
    decompressor: { create(options: { table: { maxSize: number } }): Decompressor };
  };
  export default hpack;
}
