/** scap block type ids (pcapng-like blocks), their names and the layout family/version each uses. */

export const BLOCK = {
  SHB: 0x0a0d0d0a,
  MI: 0x201,
  MI_INT: 0x8002abcd,
  PL_V1: 0x202,
  PL_V1_INT: 0x8000abcd,
  PL_V2: 0x207,
  PL_V2_INT: 0x8013abcd,
  PL_V3: 0x209,
  PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210,
  PL_V5: 0x211,
  PL_V6: 0x212,
  PL_V7: 0x213,
  PL_V8: 0x214,
  PL_V9: 0x215,
  FDL: 0x203,
  FDL_INT: 0x8001abcd,
  FDL_V2: 0x218,
  EV: 0x204,
  EV_INT: 0x8010abcd,
  EV_V2: 0x216,
  EV_V2_LARGE: 0x221,
  IL: 0x205,
  IL_INT: 0x8011abcd,
  IL_V2: 0x219,
  UL: 0x206,
  UL_INT: 0x8012abcd,
  UL_V2: 0x220,
  EVF: 0x208,
  EVF_V2: 0x217,
  EVF_V2_LARGE: 0x222,
} as const;

export type BlockFamily = 'SHB' | 'MI' | 'PL' | 'FDL' | 'EV' | 'IL' | 'UL';

export interface BlockKind {
  readonly name: string;
  readonly family: BlockFamily;
  readonly version: number;
  /** Event blocks only: the body starts with a u32 flags word after the cpu id. */
  readonly hasFlags?: boolean;
}

const KINDS = new Map<number, BlockKind>();
function kind(id: number, name: string, family: BlockFamily, version: number, hasFlags = false): void {
  KINDS.set(id, { name, family, version, hasFlags });
}
kind(BLOCK.SHB, 'SHB', 'SHB', 1);
kind(BLOCK.MI, 'MI', 'MI', 1);
kind(BLOCK.MI_INT, 'MI_INT', 'MI', 1);
kind(BLOCK.PL_V1, 'PL_V1', 'PL', 1);
kind(BLOCK.PL_V1_INT, 'PL_V1_INT', 'PL', 1);
kind(BLOCK.PL_V2, 'PL_V2', 'PL', 2);
kind(BLOCK.PL_V2_INT, 'PL_V2_INT', 'PL', 2);
kind(BLOCK.PL_V3, 'PL_V3', 'PL', 3);
kind(BLOCK.PL_V3_INT, 'PL_V3_INT', 'PL', 3);
kind(BLOCK.PL_V4, 'PL_V4', 'PL', 4);
kind(BLOCK.PL_V5, 'PL_V5', 'PL', 5);
kind(BLOCK.PL_V6, 'PL_V6', 'PL', 6);
kind(BLOCK.PL_V7, 'PL_V7', 'PL', 7);
kind(BLOCK.PL_V8, 'PL_V8', 'PL', 8);
kind(BLOCK.PL_V9, 'PL_V9', 'PL', 9);
kind(BLOCK.FDL, 'FDL', 'FDL', 1);
kind(BLOCK.FDL_INT, 'FDL_INT', 'FDL', 1);
kind(BLOCK.FDL_V2, 'FDL_V2', 'FDL', 2);
kind(BLOCK.EV, 'EV', 'EV', 1);
kind(BLOCK.EV_INT, 'EV_INT', 'EV', 1);
kind(BLOCK.EVF, 'EVF', 'EV', 1, true);
kind(BLOCK.EV_V2, 'EV_V2', 'EV', 2);
kind(BLOCK.EV_V2_LARGE, 'EV_V2_LARGE', 'EV', 2);
kind(BLOCK.EVF_V2, 'EVF_V2', 'EV', 2, true);
kind(BLOCK.EVF_V2_LARGE, 'EVF_V2_LARGE', 'EV', 2, true);
kind(BLOCK.IL, 'IL', 'IL', 1);
kind(BLOCK.IL_INT, 'IL_INT', 'IL', 1);
kind(BLOCK.IL_V2, 'IL_V2', 'IL', 2);
kind(BLOCK.UL, 'UL', 'UL', 1);
kind(BLOCK.UL_INT, 'UL_INT', 'UL', 1);
kind(BLOCK.UL_V2, 'UL_V2', 'UL', 2);

export function blockKind(id: number): BlockKind | undefined {
  return KINDS.get(id);
}

export function blockName(id: number): string {
  return KINDS.get(id)?.name ?? `0x${id.toString(16).toUpperCase()}`;
}

/** Generic block framing: u32 type, u32 total length, body, padding, u32 total length. */
export const BLOCK_HEADER_SIZE = 8;
export const BLOCK_OVERHEAD = 12;
export const SHB_MAGIC = 0x1a2b3c4d;
export const EVENT_V1_HEADER_SIZE = 22;
