import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { startersZip } from './starters-zip.ts';

const root = mkdtempSync(join(tmpdir(), 'wirelab-starters-zip-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text = 'x'): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('the starters zip of a checkout where a teacher has generated the stubs', () => {
  it('holds generate.go but not what go generate and the Python script wrote', () => {
    write('starters/go/go.mod', 'module wirelab.example/starters\n');
    write('starters/go/stubs/generate.go', 'package stubs\n');
    write('starters/go/stubs/wirelab/users/v1/users.pb.go', 'package usersv1\n');
    write('starters/go/stubs/grpc/reflection/v1/reflection_grpc.pb.go', 'package reflectionv1\n');
    write('starters/python/rest_server.py');
    write('starters/python/gen/wirelab/users/v1/users_pb2.py');
    write('proto/wirelab/users/v1/users.proto', 'syntax = "proto3";\n');
    const names = Object.keys(unzipSync(startersZip(root))).sort();
    expect(names).toEqual([
      'wirelab-starters/proto/wirelab/users/v1/users.proto',
      'wirelab-starters/starters/go/go.mod',
      'wirelab-starters/starters/go/stubs/generate.go',
      'wirelab-starters/starters/python/rest_server.py',
    ]);
  });
});
