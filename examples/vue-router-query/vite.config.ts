import { defineConfig } from 'vite'
import { builtPackageAliases } from '../built-package-aliases.ts'

export default defineConfig({ root: import.meta.dirname, resolve: { alias: builtPackageAliases }, logLevel: 'warn' })
