// V8's Error.stackTraceLimit, which the wire decoder sets (Chromium has it; @types/node declares it for Node).
interface ErrorConstructor {
  stackTraceLimit: number;
}
