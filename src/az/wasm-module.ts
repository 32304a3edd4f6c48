// The project's own WebAssembly modules (src/az/assembly/, generated into *.wasm.ts as
// base64): each compiled once per thread, instantiated as often as its callers need.

/** The little of the WebAssembly API used here: the project's TypeScript libraries do not declare it. */
const { Module, Instance } = (
  globalThis as unknown as {
    WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: object } };
  }
).WebAssembly;

const compiled = new Map<string, object>();

/** A new instance of the module whose binary is `base64`, with `imports`; its exports as `T`. */
export function instantiate<T>(base64: string, imports: object): T {
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, module);
  }
  return new Instance(module, imports).exports as T;
}
