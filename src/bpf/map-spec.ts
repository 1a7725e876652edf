// A map a program needs, as plain data: what code generation produces and the kernel layer
// creates. It lives with the assembler (whose map references name these maps) so that code
// generation never imports the kernel layer.
export type MapType =
  | 'hash'
  | 'array'
  | 'percpu_hash'
  | 'percpu_array'
  | 'lru_hash'
  | 'lru_percpu_hash'
  | 'ringbuf'
  | 'stack_trace'
  | 'array_of_maps';

export interface MapSpec {
  readonly name: string;
  readonly type: MapType;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags?: number;
  /**
   * array_of_maps only: the name of another map of the same program, created before this one.
   * Every map stored in this one has its type and layout, and slot 0 holds it at the start.
   */
  readonly inner?: string;
}
