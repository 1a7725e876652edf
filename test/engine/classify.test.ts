import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../src/engine/classify.js';
import { fixtureCatalog } from '../helpers/fixture-catalog.js';

const catalog = fixtureCatalog();

test('strings, quoted identifiers and comments never make a statement a kernel one', () => {
  for (const sql of [
    'SELECT 1 AS "from exec"',
    "SELECT 'from exec' AS s",
    'SELECT 1 -- FROM exec',
    '/* FROM exec */ SELECT 1',
    'SELECT 1 AS "for 5s"',
    "SELECT every(x) FROM (SELECT true AS x)",
  ]) assert.equal(classify(sql, catalog), 'duckdb', sql);
});

test('a quoted "--" is a name, not a comment: what follows it is still read', () => {
  assert.equal(classify('SELECT 1 AS "--", 2 FROM exec', catalog), 'kernel');
  assert.equal(classify("SELECT '--' AS s, pid FROM exec", catalog), 'kernel');
});

test("bpfql's dialect and bpftrace's probes make a statement bpfql's, whatever table it names", () => {
  for (const sql of [
    'SELECT count(*) FROM opne FOR 2s',
    'SELECT count(*) FROM t EVERY 1s',
    'SELECT count(*) FROM kprobe:vfs_read',
    'SELECT count(*) FROM tracepoint:syscalls:sys_enter_openat',
    'SELECT * FROM syscalls.openat',
    'SELECT * FROM "exec"',
    'DESCRIBE exec',
    'SHOW TABLES;',
  ]) assert.equal(classify(sql, catalog), 'kernel', sql);
  assert.equal(classify('DESCRIBE my_table', catalog), 'duckdb');
});

test('a kernel table named by a call (uprobe, profile) makes a statement bpfql\'s', () => {
  assert.equal(classify("SELECT count(*) FROM uprobe('/bin/true', 'main')", catalog), 'kernel');
  assert.equal(classify('SELECT count(*) FROM profile(99) FOR 1s', catalog), 'kernel');
  assert.equal(classify("SELECT count(*) FROM read_csv('uprobe.csv')", catalog), 'duckdb');
});
