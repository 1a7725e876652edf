// The maps and programs of one query, loaded as one set: maps first (a program's instructions
// carry the fds of the maps it uses), then programs. When any step fails, everything already
// made is closed again, newest first, before the error goes on: a set that loads half-way
// leaves nothing open in the kernel.
import { encode, type Assembled } from '../bpf/index.js';
import { BpfMap, type MapSpec } from './map.js';
import { BpfProgram, type ProgramType } from './program.js';
import { KernelScope, type Closeable } from './scope.js';

export interface CollectionProgram {
  readonly name: string;
  readonly type: ProgramType;
  /** A tracing program's attach target (see ProgramSpec). */
  readonly attachBtfId?: number;
  /** Its map references name maps of the same collection, by their names in `maps`. */
  readonly assembled: Assembled;
  readonly license: string;
}

export interface CollectionSpec {
  /** In creation order: a map-in-map comes after the map it holds (MapSpec.inner). */
  readonly maps: readonly MapSpec[];
  /** In load order. */
  readonly programs: readonly CollectionProgram[];
  /**
   * Put before each map's name in the kernel, so the maps are recognisable in bpftool; the
   * collection and the programs' map references still use the names as given.
   */
  readonly mapNamePrefix?: string;
}

export class Collection implements Closeable {
  private constructor(
    private readonly scope: KernelScope,
    /** By name as given in the spec. */
    readonly maps: ReadonlyMap<string, BpfMap>,
    /** In the spec's order. */
    readonly programs: readonly BpfProgram[],
  ) {}

  static load(spec: CollectionSpec): Collection {
    const scope = new KernelScope();
    try {
      const maps = new Map<string, BpfMap>();
      for (const m of spec.maps) {
        const inner = m.inner === undefined ? undefined : maps.get(m.inner);
        if (m.inner !== undefined && inner === undefined) throw new Error(`map '${m.name}' needs map '${m.inner}' made before it`);
        const map = scope.add(BpfMap.create({ ...m, name: `${spec.mapNamePrefix ?? ''}${m.name}` }, inner));
        // A map-in-map starts out holding its inner map, so a program never finds the slot empty.
        if (inner !== undefined) map.setMap(0, inner);
        maps.set(m.name, map);
      }
      const fds = new Map([...maps].map(([name, m]) => [name, m.fd]));
      const programs = spec.programs.map((p) =>
        scope.add(BpfProgram.load({ name: p.name, type: p.type, ...(p.attachBtfId !== undefined ? { attachBtfId: p.attachBtfId } : {}), insns: encode(p.assembled, fds), license: p.license })));
      return new Collection(scope, maps, programs);
    } catch (e) {
      scope.closeAll();
      throw e;
    }
  }

  /** Closes the programs, then the maps, newest first. Idempotent; never throws. */
  close(): void {
    this.scope.closeAll();
  }
}
