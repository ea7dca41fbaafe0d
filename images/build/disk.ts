/**
 * The partitioned disk image, made without loop devices or mounts: the FAT boot filesystem as a
 * file (mkfs.vfat + mcopy from mtools), the ext4 root as a file populated from the staged folder
 * (mkfs.ext4 -d), both written into one sparse image at their partition offsets after sfdisk has
 * put an MBR partition table on it. Volume ids, the ext4 UUID and hash seed, the MBR disk id and
 * file times derive from the build inputs, so equal inputs give equal metadata.
 *
 * Layout (512-byte sectors): 4 MiB gap (alignment, room for a boot loader), p1 FAT32 LBA (type c,
 * bootable) of `boot_mib`, p2 Linux (83) sized to the root's contents plus `root_free_mib`;
 * hivebox-growroot.service grows p2 to the end of the card on first boot.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { describeToolError, runTool } from './exec.ts';
import type { Recipe } from './recipe.ts';

const MIB = 1024 * 1024;
const SECTOR = 512;
/** First partition starts at 4 MiB. */
export const FIRST_SECTOR = (4 * MIB) / SECTOR;

/** Where the partitions are (sectors). */
export interface DiskLayout {
  readonly boot: { readonly start: number; readonly sectors: number };
  readonly root: { readonly start: number; readonly sectors: number };
  readonly total_sectors: number;
  /** MBR disk identifier (`label-id`). */
  readonly disk_id: string;
}

/** A finished raw disk image. */
export interface DiskImage {
  readonly path: string;
  readonly bytes: number;
  readonly layout: DiskLayout;
  /** Bytes used by the root's files (du), MiB rounded up. */
  readonly root_used_mib: number;
}

/** What {@link buildDisk} needs. */
export interface DiskOptions {
  readonly recipe: Recipe;
  readonly root: string;
  readonly boot: string;
  /** Output file (raw image). */
  readonly out: string;
  /** Seed for ids (the build's input hash). */
  readonly seed: string;
  readonly sourceDateEpoch: number;
}

/** Deterministic id material from the seed: `n` hex characters for `purpose`. */
export function derivedHex(seed: string, purpose: string, n: number): string {
  return createHash('sha256').update(`${seed}/${purpose}`).digest('hex').slice(0, n);
}

/** UUID (RFC 4122 form, version 4 bits set) derived from the seed. */
export function derivedUuid(seed: string, purpose: string): string {
  const h = derivedHex(seed, purpose, 32).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Partition layout for a root of `rootMib` MiB. */
export function diskLayout(recipe: Recipe, rootMib: number, seed: string): DiskLayout {
  const bootSectors = (recipe.disk.boot_mib * MIB) / SECTOR;
  const rootSectors = (rootMib * MIB) / SECTOR;
  const rootStart = FIRST_SECTOR + bootSectors;
  return {
    boot: { start: FIRST_SECTOR, sectors: bootSectors },
    root: { start: rootStart, sectors: rootSectors },
    total_sectors: rootStart + rootSectors,
    disk_id: `0x${derivedHex(seed, 'mbr', 8)}`,
  };
}

/** The sfdisk(8) script for a layout. */
export function sfdiskScript(l: DiskLayout): string {
  return [
    'label: dos',
    `label-id: ${l.disk_id}`,
    'unit: sectors',
    '',
    `start=${l.boot.start}, size=${l.boot.sectors}, type=c, bootable`,
    `start=${l.root.start}, size=${l.root.sectors}, type=83`,
    '',
  ].join('\n');
}

/** Size of the root filesystem: contents plus 10 % (ext4 metadata) plus the recipe's free space, in 4 MiB steps. */
export function rootSizeMib(usedMib: number, freeMib: number): number {
  return Math.ceil((usedMib * 1.1 + freeMib) / 4) * 4;
}

type Tool = Parameters<typeof describeToolError>[0];
const check = (r: Result<string, Tool>): Result<string, string> => (r.ok ? r : err(describeToolError(r.error)));

/** Write a filesystem file into the image at a sector offset (sparse: zero blocks stay holes). */
function place(fsImage: string, image: string, startSector: number): Result<string, string> {
  return check(runTool(['dd', `if=${fsImage}`, `of=${image}`, 'bs=4M', `seek=${startSector * SECTOR}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none']));
}

/** Make the image. Temporary filesystem files live next to `out` and are removed. */
export function buildDisk(o: DiskOptions): Result<DiskImage, string> {
  const du = check(runTool(['du', '-s', '--block-size=1M', o.root]));
  if (!du.ok) return du;
  const usedMib = Number(du.value.split('\t')[0]);
  const layout = diskLayout(o.recipe, rootSizeMib(usedMib, o.recipe.disk.root_free_mib), o.seed);
  const bootImg = `${o.out}.boot`;
  const rootImg = `${o.out}.root`;
  const env = { SOURCE_DATE_EPOCH: String(o.sourceDateEpoch), E2FSPROGS_FAKE_TIME: String(o.sourceDateEpoch), MTOOLS_SKIP_CHECK: '1' };
  const { disk } = o.recipe;
  const bootFiles = readdirSync(o.boot).map((f) => join(o.boot, f));
  const steps: (() => Result<string, string>)[] = [
    () => check(runTool(['truncate', '-s', String(layout.boot.sectors * SECTOR), bootImg])),
    () => check(runTool(['mkfs.vfat', '-F', '32', '-s', '1', '-n', disk.boot_label, '-i', derivedHex(o.seed, 'vfat', 8), '--invariant', bootImg], { env })),
    () => (bootFiles.length ? check(runTool(['mcopy', '-i', bootImg, '-s', '-p', '-m', ...bootFiles, '::/'], { env })) : ok('')),
    () => check(runTool(['truncate', '-s', String(layout.root.sectors * SECTOR), rootImg])),
    () => {
      const uuid = derivedUuid(o.seed, 'ext4');
      return check(runTool(['mkfs.ext4', '-q', '-F', '-L', disk.root_label, '-U', uuid, '-m', '1', '-E', `root_owner=0:0,hash_seed=${derivedUuid(o.seed, 'ext4-hash')}`, '-d', o.root, rootImg], { env }));
    },
    () => check(runTool(['rm', '-f', o.out])),
    () => check(runTool(['truncate', '-s', String(layout.total_sectors * SECTOR), o.out])),
    () => check(runTool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', o.out], { stdin: sfdiskScript(layout) })),
    () => place(bootImg, o.out, layout.boot.start),
    () => place(rootImg, o.out, layout.root.start),
  ];
  try {
    for (const s of steps) {
      const r = s();
      if (!r.ok) return err(`disk image: ${r.error}`);
    }
  } finally {
    rmSync(bootImg, { force: true });
    rmSync(rootImg, { force: true });
  }
  return ok({ path: o.out, bytes: layout.total_sectors * SECTOR, layout, root_used_mib: usedMib });
}
