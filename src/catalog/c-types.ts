// The integer C types of tracepoint fields, by name: their real width and sign. A format file's
// `size:` and `signed:` are not always the value's: every syscall tracepoint keeps each argument
// in an 8-byte slot marked unsigned (`field:int dfd; size:8; signed:0;`), where only the low
// bytes of the C type count (the rest is whatever the caller's register held). The names are
// those of x86_64 and arm64 Linux (LP64: long and pointers are 64 bits).

export interface CIntType {
  readonly bits: 8 | 16 | 32 | 64;
  /** Undefined for plain `char`, whose sign depends on the architecture: the format says. */
  readonly signed: boolean | undefined;
}

const S = (bits: CIntType['bits']): CIntType => ({ bits, signed: true });
const U = (bits: CIntType['bits']): CIntType => ({ bits, signed: false });

const INT_TYPES: ReadonlyMap<string, CIntType> = new Map<string, CIntType>([
  ['char', { bits: 8, signed: undefined }],
  ['signed char', S(8)], ['s8', S(8)], ['__s8', S(8)], ['int8_t', S(8)],
  ['unsigned char', U(8)], ['u8', U(8)], ['__u8', U(8)], ['uint8_t', U(8)], ['bool', U(8)], ['_Bool', U(8)],
  ['short', S(16)], ['short int', S(16)], ['signed short', S(16)], ['s16', S(16)], ['__s16', S(16)], ['int16_t', S(16)],
  ['unsigned short', U(16)], ['unsigned short int', U(16)], ['u16', U(16)], ['__u16', U(16)], ['uint16_t', U(16)],
  ['__be16', U(16)], ['__le16', U(16)], ['umode_t', U(16)],
  ['int', S(32)], ['signed int', S(32)], ['signed', S(32)], ['s32', S(32)], ['__s32', S(32)], ['int32_t', S(32)],
  ['pid_t', S(32)], ['clockid_t', S(32)], ['timer_t', S(32)], ['mqd_t', S(32)], ['key_t', S(32)],
  ['key_serial_t', S(32)], ['rwf_t', S(32)],
  ['unsigned int', U(32)], ['unsigned', U(32)], ['u32', U(32)], ['__u32', U(32)], ['uint32_t', U(32)],
  ['__be32', U(32)], ['__le32', U(32)], ['uid_t', U(32)], ['gid_t', U(32)], ['qid_t', U(32)], ['dev_t', U(32)],
  ['gfp_t', U(32)], ['fmode_t', U(32)],
  ['long', S(64)], ['long int', S(64)], ['signed long', S(64)], ['long long', S(64)], ['long long int', S(64)],
  ['s64', S(64)], ['__s64', S(64)], ['int64_t', S(64)], ['loff_t', S(64)], ['off_t', S(64)], ['ssize_t', S(64)],
  ['time_t', S(64)], ['__kernel_old_time_t', S(64)], ['ktime_t', S(64)],
  ['unsigned long', U(64)], ['unsigned long int', U(64)], ['unsigned long long', U(64)], ['unsigned long long int', U(64)],
  ['u64', U(64)], ['__u64', U(64)], ['uint64_t', U(64)], ['__be64', U(64)], ['__le64', U(64)], ['size_t', U(64)],
  ['aio_context_t', U(64)], ['sector_t', U(64)], ['dma_addr_t', U(64)], ['phys_addr_t', U(64)],
  ['resource_size_t', U(64)], ['uintptr_t', U(64)],
]);

/** Typedefs of pointers (they have no `*` in their name). */
const POINTER_TYPEDEFS: ReadonlySet<string> = new Set(['cap_user_header_t', 'cap_user_data_t']);

/** The type without qualifiers: `const __u32` is `__u32`. */
export function bareCType(cType: string): string {
  return cType.replace(/\b(const|volatile)\b/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The width and sign of an integer C type; enums are ints of the sign the format gives. */
export function cIntType(cType: string): CIntType | undefined {
  const t = bareCType(cType);
  if (/^enum [A-Za-z_][A-Za-z0-9_]*$/.test(t)) return { bits: 32, signed: undefined };
  return INT_TYPES.get(t);
}

export function isPointerType(cType: string): boolean {
  const t = bareCType(cType);
  return t.includes('*') || POINTER_TYPEDEFS.has(t);
}
