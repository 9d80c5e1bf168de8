import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** $lib/server, or a relative path into src/lib/server: server-only code. */
const SERVER_PATH = '(\\$lib/server|(\\.{1,2}/)+(lib/)?server)(/|$)';
const SERVER_ONLY =
	'Browser code must not import from src/lib/server, types included: use RouterOutputs/RouterInputs from $lib/trpc, or a browser-safe module such as $lib/domain.';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'data/', 'test-results/', 'playwright-report/', 'node_modules/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// TypeScript already reports undefined names, with types in mind.
			'no-undef': 'off',
			// Podboard is served at the root of its origin (no paths.base): resolve() would add nothing.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		// Browser code never reaches into the server, not even for a type: it reads the API's types
		// (RouterInputs/RouterOutputs from $lib/trpc) and the vocabulary in $lib/domain.
		files: ['src/**/*.ts', 'src/**/*.js', 'src/**/*.svelte'],
		// app.d.ts types the server's event.locals; it ships nothing to the browser.
		ignores: ['src/lib/server/**', 'src/**/*.server.ts', 'src/**/+server.ts', 'src/app.d.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [{ regex: `^${SERVER_PATH}`, message: SERVER_ONLY }] }]
		}
	},
	{
		// The one door: the typed client names the server's router, as a type only.
		files: ['src/lib/trpc.ts'],
		rules: {
			'no-restricted-imports': 'off',
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [{ name: '$lib/server/trpc/router', allowTypeImports: true, message: SERVER_ONLY }],
					patterns: [{ regex: `^(?!\\$lib/server/trpc/router$)${SERVER_PATH}`, message: SERVER_ONLY }]
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		// Not typed linting (no projectService): no rule here needs types (svelte-check checks them),
		// and reading the whole program per file made the lint take 82 s of a CI run instead of 13.
		languageOptions: {
			parserOptions: {
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	}
);
