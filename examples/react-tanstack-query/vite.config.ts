import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { builtPackageAliases } from '../built-package-aliases.ts'

export default defineConfig({ root: import.meta.dirname, plugins: [react()], resolve: { alias: builtPackageAliases }, logLevel: 'warn' })
