import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { openAtomicFile, UnsafeFileError } from "../../src/fs/safe-file.js";
import { makeTempDir } from "../support/temp.js";

const dir = () => makeTempDir("atomic");

it("appears whole, mode 0600, only on commit; nothing else is left in the folder", () => {
  const folder = dir();
  const target = join(folder, "body.bin");
  const file = openAtomicFile(target);
  file.write(Buffer.from([0, 1, 2]));
  file.write(Buffer.from([255]));
  expect(() => statSync(target)).toThrow();
  file.commit();
  expect(readFileSync(target)).toEqual(Buffer.from([0, 1, 2, 255]));
  expect(statSync(target).mode & 0o777).toBe(0o600);
  expect(readdirSync(folder)).toEqual(["body.bin"]);
});

it("abort (a broken download) leaves the old file as it was and no temp file", () => {
  const folder = dir();
  const target = join(folder, "keep.txt");
  writeFileSync(target, "old");
  const file = openAtomicFile(target);
  file.write(Buffer.from("half of the new"));
  file.abort();
  expect(readFileSync(target, "utf8")).toBe("old");
  expect(readdirSync(folder)).toEqual(["keep.txt"]);
});

it("refuses a folder at the target before writing anything", () => {
  const folder = dir();
  mkdirSync(join(folder, "sub"));
  expect(() => openAtomicFile(join(folder, "sub"))).toThrow(UnsafeFileError);
  expect(readdirSync(folder)).toEqual(["sub"]);
});
