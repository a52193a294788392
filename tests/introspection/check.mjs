// Issue 26, item 7: standard tooling reads the schema. Run by .ci/run after the tests, with the
// reference `graphql` library (the version GraphiQL 4 uses):
//   node tests/introspection/check.mjs target/tmp/introspection.json
// 1. tests/fixtures/introspection.graphql, which the security test sends, is the library's own
//    getIntrospectionQuery() with its options on (but one, below);
// 2. the answer the test received and saved (the path given) builds a client schema that
//    prints the same as schemas/graphql/schema.graphql, with no breaking or dangerous change
//    either way.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildClientSchema, buildSchema, findBreakingChanges, findDangerousChanges,
  getIntrospectionQuery, lexicographicSortSchema, parse, print, printSchema,
} from 'graphql';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => fs.readFileSync(path.resolve(root, p), 'utf8');
const problems = [];

// What each tool sends is a part of this query. Not schemaDescription: async-graphql answers
// `__schema { description }` with the __Schema type's own description, not the schema's.
const expected = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  inputValueDeprecation: true,
  oneOf: true,
});
if (print(parse(read('tests/fixtures/introspection.graphql'))) !== print(parse(expected))) {
  problems.push('tests/fixtures/introspection.graphql is not getIntrospectionQuery() of graphql '
    + `${JSON.parse(read('tests/introspection/node_modules/graphql/package.json')).version}:\n${expected}`);
}

const answer = process.argv[2];
if (!answer) throw new Error('usage: node check.mjs <the saved introspection answer>');
const introspected = buildClientSchema(JSON.parse(fs.readFileSync(answer, 'utf8')));
const declared = buildSchema(read('schemas/graphql/schema.graphql'));
// Not differences of the schema: a schema built from SDL holds only the standard scalars it
// references and graphql-js's own @deprecated (which 16.15 also allows on directive
// definitions); async-graphql's SDL leaves both out, its introspection lists its own.
const libraryOwn = (c) =>
  /^Standard scalar \w+ was removed because it is not referenced anymore\.$/.test(c.description)
  || (c.type === 'DIRECTIVE_LOCATION_REMOVED' && / from deprecated\.$/.test(c.description));
for (const [what, from, to] of [['SDL → server', declared, introspected],
  ['server → SDL', introspected, declared]]) {
  for (const c of [...findBreakingChanges(from, to), ...findDangerousChanges(from, to)]) {
    if (!libraryOwn(c)) problems.push(`${what}: ${c.type}: ${c.description}`);
  }
}
const printed = (s) => printSchema(lexicographicSortSchema(s));
if (printed(introspected) !== printed(declared)) {
  const a = printed(declared).split('\n');
  const b = printed(introspected).split('\n');
  const at = a.findIndex((line, i) => line !== b[i]);
  problems.push(`the introspected schema prints otherwise than the SDL, from line ${at + 1}:\n`
    + `  SDL:    ${a.slice(at, at + 3).join('\n          ')}\n`
    + `  server: ${b.slice(at, at + 3).join('\n          ')}`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`introspection: the reference graphql library reads the schema (${Object.keys(introspected.getTypeMap()).length} types), equal to the SDL`);
