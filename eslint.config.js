// Type-aware lint over the TypeScript sources. tsc checks the types; this checks what tsc does not:
// promises nobody awaits, switches that miss a kind, `any` leaking in, needless assertions and conditions.
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/', 'node_modules/', '**/*.js', '**/*.mjs',
      // Run by tsx, outside tsconfig.json.
      'scripts/',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)),
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      // Messages put counts, sizes and offsets (number and bigint) straight into text.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `xs[i]!` is how this code says "i is in range" under noUncheckedIndexedAccess.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `() => void f()` and `(x) => list.push(x)` shorthands are the house style for callbacks.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `_` names what is dropped on purpose: `const { target: _, ...rest } = insn`, `for (const _ of s)`.
      '@typescript-eslint/no-unused-vars': ['error', {
        varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_',
      }],
      // A failure kept from Promise.allSettled or a catch is rethrown as it came; once tested against
      // undefined its type is `{}`, which this rule refuses.
      '@typescript-eslint/only-throw-error': 'off',
      // Arrow's DataType classes print themselves (toString), which their typings do not show.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      // assert.equal(x.kind, 'rows') narrows x, so the guard a test keeps after it looks redundant.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Fakes implement async interfaces (Backend, Session) with values they already hold.
      '@typescript-eslint/require-await': 'off',
      // Failure messages print whatever a row holds (unknown).
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
);
