/**
 * Kassa in a shop's app, from the packed tarball: `npm pack` (prepack build included, in a temporary copy of the
 * project), the tarball unpacked into an app's node_modules/kassa, and each framework's own checker run over a small
 * consumer in test/package/consumers/<framework>/ — tsc for React 19, vue-tsc for Vue 3, svelte-check for Svelte 5,
 * ngc for Angular 21. A consumer's lines marked `must fail` have to be refused, and no other line may be: the test
 * compares the checker's problems with those lines, both ways.
 *
 * README.md's "Frameworks" section is checked as written: each of its code blocks names its file
 * (```tsx title="app/checkout/page.tsx"), is written there in an app of its own and must check clean. The file's
 * extension picks the checker: .tsx tsc (React, Next.js), .vue vue-tsc (Vue, Nuxt), .svelte svelte-check, .ts ngc
 * (Angular; ngc checks plain TypeScript as tsc does). A block the test cannot check fails it.
 *
 * Each app finds the frameworks and Kassa's dependencies in the project's node_modules (linked one level up), and
 * Kassa only in the tarball.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/package/consumers');
const bin = (path: string) => join(root, 'node_modules', path);

type Framework = 'react' | 'vue' | 'svelte' | 'angular';

/** Each framework's checker, run in the app's folder, and the extension of the files it checks. */
const CHECKERS: Record<Framework, { extension: string; args: string[] }> = {
  react: { extension: '.tsx', args: [bin('typescript/bin/tsc'), '-p', 'tsconfig.json'] },
  vue: { extension: '.vue', args: [bin('vue-tsc/bin/vue-tsc.js'), '-p', 'tsconfig.json'] },
  svelte: {
    extension: '.svelte',
    args: [bin('svelte-check/bin/svelte-check'), '--workspace', '.', '--tsconfig', './tsconfig.json', '--output', 'machine'],
  },
  angular: { extension: '.ts', args: [bin('@angular/compiler-cli/bundles/src/bin/ngc.js'), '-p', 'tsconfig.json'] },
};
const FRAMEWORKS = Object.keys(CHECKERS) as Framework[];

/** One error or warning, at `file:line` (the file relative to the app's folder). */
interface Problem {
  at: string;
  message: string;
}

interface Check {
  status: number | null;
  output: string;
  problems: Problem[];
}

/**
 * The problems in a checker's output: tsc and vue-tsc (`file(line,col): error TS…`), ngc (`file:line:col - error`,
 * coloured), svelte-check's machine output (`<time> ERROR "file" line:col "message"`, warnings too: a shop's CI runs
 * it with --fail-on-warnings).
 */
function problemsIn(output: string): Problem[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const problems: Problem[] = [];
  for (const line of plain.split('\n')) {
    const found =
      /^(?<file>[^\s(][^(]*)\((?<line>\d+),\d+\): error (?<message>.*)$/.exec(line) ??
      /^(?<file>\S+):(?<line>\d+):\d+ - error (?<message>.*)$/.exec(line) ??
      /^\d+ (?:ERROR|WARNING) "(?<file>[^"]+)" (?<line>\d+):\d+ (?<message>.*)$/.exec(line);
    if (found)
      problems.push({
        at: `${found.groups!.file!.replace(/^\.\//, '')}:${found.groups!.line}`,
        message: found.groups!.message!,
      });
    // An error about the project itself (no input files, a bad option), which names no file.
    else if (/^error\b/.test(line)) problems.push({ at: '(no file)', message: line });
  }
  return problems;
}

/** `file:line` of every line marked `must fail: <why>` in an app's files with the checker's extension. */
function mustFailLines(app: string, extension: string): string[] {
  return filesUnder(app)
    .filter((file) => file.endsWith(extension))
    .flatMap((file) =>
      readFileSync(join(app, file), 'utf8')
        .split('\n')
        .flatMap((text, index) => (text.includes('must fail:') ? [`${file}:${index + 1}`] : [])),
    );
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/** A code block of the README's "Frameworks" section, with the file it names and its line in README.md. */
interface Snippet {
  file: string;
  code: string;
  line: number;
  info: string;
}

/** The code blocks of README.md's "Frameworks" section, as written. */
function frameworkSnippets(readme: string): Snippet[] {
  const start = readme.indexOf('\n## Frameworks\n');
  assert.ok(start >= 0, 'README.md has a "Frameworks" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const firstLine = readme.slice(0, start).split('\n').length + 1;
  const snippets: Snippet[] = [];
  for (const block of section.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const info = block[1]!.trim();
    snippets.push({
      info,
      file: /\btitle="([^"]+)"/.exec(info)?.[1] ?? '',
      code: block[2]!,
      line: firstLine + section.slice(0, block.index).split('\n').length - 1,
    });
  }
  return snippets;
}

function frameworkOf(file: string): Framework | undefined {
  return FRAMEWORKS.find((framework) => file.endsWith(CHECKERS[framework].extension));
}

/** Runs a checker without blocking the others (they run side by side, as many as there are cores). */
function spawnCheck(framework: Framework, cwd: string): Promise<Check> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, CHECKERS[framework].args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (status) => resolve({ status, output, problems: problemsIn(output) }));
  });
}

/** Starts the tasks `width` at a time; each promise settles with its own task. */
function limited<T>(tasks: Array<() => Promise<T>>, width: number): Array<Promise<T>> {
  const slots: Array<Promise<unknown>> = [];
  return tasks.map((task, index) => {
    const started = index < width ? task() : slots[index - width]!.then(task, task);
    slots.push(started);
    return started;
  });
}

/** `npm pack` as a release runs it (prepack builds dist/ and lib/), in a copy so the checkout's builds stay as they are. */
function packTarball(workspace: string): string {
  const copy = join(workspace, 'pack');
  const skip = new Set(['node_modules', '.git', 'dist', 'lib', 'tmp', 'storybook-static']);
  mkdirSync(copy);
  for (const name of readdirSync(root).filter((entry) => !skip.has(entry))) cpSync(join(root, name), join(copy, name), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'junction');
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', workspace], { cwd: copy, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(packed.status, 0, `npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
  const [report] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  return join(workspace, report!.filename);
}

let workspace = '';
let snippets: Snippet[] = [];
const checks = new Map<string, Promise<Check>>();

before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'kassa-consumers-'));
  const tarball = packTarball(workspace);
  symlinkSync(join(root, 'node_modules'), join(workspace, 'node_modules'), 'junction');
  const kassa = join(workspace, 'apps/node_modules/kassa');
  mkdirSync(kassa, { recursive: true });
  const unpacked = spawnSync('tar', ['-xzf', tarball, '-C', kassa, '--strip-components=1'], { encoding: 'utf8' });
  assert.equal(unpacked.status, 0, `tar failed: ${unpacked.stderr}`);

  // The consumers, and next to each an app with the same settings holding the README's blocks for that framework.
  snippets = frameworkSnippets(readFileSync(join(root, 'README.md'), 'utf8'));
  const tasks: Array<() => Promise<Check>> = [];
  for (const framework of FRAMEWORKS) {
    const consumer = join(workspace, 'apps', framework);
    const readme = join(workspace, 'apps', `readme-${framework}`);
    cpSync(join(fixtures, framework), consumer, { recursive: true });
    mkdirSync(readme);
    // Only the settings: a README block declares its own types, as a reader copying it needs to.
    for (const file of readdirSync(consumer).filter((name) => /^(tsconfig\.json|svelte\.config\.js)$/.test(name))) {
      cpSync(join(consumer, file), join(readme, file));
    }
    for (const snippet of snippets.filter((s) => s.file && frameworkOf(s.file) === framework)) {
      mkdirSync(dirname(join(readme, snippet.file)), { recursive: true });
      writeFileSync(join(readme, snippet.file), snippet.code);
    }
    tasks.push(
      () => spawnCheck(framework, consumer),
      () => spawnCheck(framework, readme),
    );
  }
  const results = limited(tasks, Math.max(2, availableParallelism()));
  FRAMEWORKS.forEach((framework, index) => {
    checks.set(framework, results[2 * index]!);
    checks.set(`readme-${framework}`, results[2 * index + 1]!);
  });
});

after(async () => {
  await Promise.allSettled(checks.values());
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const NAMES: Record<Framework, string> = {
  react: 'React 19 (tsc)',
  vue: 'Vue 3 (vue-tsc, strict templates)',
  svelte: 'Svelte 5 (svelte-check)',
  angular: 'Angular 21 (ngc, strict templates)',
};

describe('a shop app of each framework, type-checked against the packed tarball', () => {
  for (const framework of FRAMEWORKS) {
    it(`${NAMES[framework]} refuses exactly the lines marked "must fail"`, async () => {
      const check = await checks.get(framework)!;
      const expected = mustFailLines(join(fixtures, framework), CHECKERS[framework].extension).sort();
      assert.ok(expected.length > 0, `test/package/consumers/${framework} marks lines that must fail`);
      const refused = new Set(check.problems.map((problem) => problem.at));
      assert.deepEqual(
        {
          passedThoughMarked: expected.filter((at) => !refused.has(at)),
          refusedThoughNotMarked: check.problems.filter((problem) => !expected.includes(problem.at)).map((problem) => `${problem.at} ${problem.message}`),
        },
        { passedThoughMarked: [], refusedThoughNotMarked: [] },
        `${framework} checker output:\n${check.output}`,
      );
      assert.notEqual(check.status, 0, 'the checker exits with an error');
    });
  }
});

describe("README.md's Frameworks section", () => {
  it('names a file for every code block, one the test checks', () => {
    assert.ok(snippets.length >= 6, `the section has its code blocks (${snippets.length})`);
    for (const snippet of snippets) {
      assert.ok(snippet.file, `README.md:${snippet.line}: the block \`\`\`${snippet.info} names its file (title="…")`);
      assert.ok(frameworkOf(snippet.file), `README.md:${snippet.line}: ${snippet.file} is .tsx, .vue, .svelte or .ts`);
    }
    const files = snippets.map((snippet) => snippet.file);
    assert.deepEqual(files, [...new Set(files)], 'each block names its own file');
    for (const framework of FRAMEWORKS)
      assert.ok(
        snippets.some((snippet) => frameworkOf(snippet.file) === framework),
        `a ${framework} block`,
      );
    assert.ok(
      snippets.some((snippet) => /^app\/.*page\.tsx$/.test(snippet.file)),
      'a Next.js app-router page',
    );
    assert.ok(
      snippets.some((snippet) => /^(pages|components)\/.*\.vue$/.test(snippet.file)),
      'a Nuxt page or component',
    );
  });

  for (const framework of FRAMEWORKS) {
    it(`its ${framework} blocks pass ${NAMES[framework]}`, async () => {
      const check = await checks.get(`readme-${framework}`)!;
      const where = (at: string) => {
        const [file, line] = at.split(':');
        const snippet = snippets.find((s) => s.file === file);
        return snippet ? `README.md:${snippet.line + Number(line)} (${at})` : at;
      };
      assert.deepEqual(
        check.problems.map((problem) => `${where(problem.at)} ${problem.message}`),
        [],
        `${framework} checker output:\n${check.output}`,
      );
      assert.equal(check.status, 0, `${framework} checker output:\n${check.output}`);
    });
  }
});
