// The package ships no types; espeak-worker.ts describes the parts it uses.
declare module '@echogarden/espeak-ng-emscripten' {
  const Module: () => Promise<unknown>;
  export default Module;
}
