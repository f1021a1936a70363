/** Gate output names, for the panels: the definition lives with the ONNX conventions (onnx/gates.ts). */
export * from '../onnx/gates';
