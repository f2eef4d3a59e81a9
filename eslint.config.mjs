import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-implied-eval': 'off',
    },
  },
  {
    // The domain is plain TypeScript: no database, web framework, chat SDK or scheduler.
    files: ['src/domain/**/*.ts', 'src/dialogs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['typeorm', 'pg', 'koa', '@koa/*', 'wechaty', 'wechaty-*', 'node-cron', '@wecom/*'],
              message: 'Keep domain and dialogs free of infrastructure: use a port.',
            },
            {
              group: ['**/db/**', '**/bot/**', '**/admin/**', '**/jobs/**'],
              message: 'Domain and dialogs must not depend on adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.client.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        fetch: 'readonly',
        encodeURIComponent: 'readonly',
        sessionStorage: 'readonly',
        URLSearchParams: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
)
