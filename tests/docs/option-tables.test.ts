import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { requireBuilt } from '../package/built-package'

// The README's option tables against the published types: every option, prop and field the
// built .d.ts files declare has a row, and no row names something the types do not have.
const root = fileURLToPath(new URL('../../', import.meta.url))
const ENTRIES = ['index', 'react', 'vue', 'testing'] as const
/** The interfaces a user fills in or reads: option bags, props, and what the hooks give. */
const isTabled = (name: string) => /(Options|Props)$/.test(name) || name === 'UseAuthResult'

interface Table {
  /** The types the table lists together, e.g. AuthClientOptions and GlueOptions, which it extends. */
  types: string[]
  /** The names in each row's first cell. */
  rows: string[][]
}

/** `<!-- option-table: Name OtherName -->` followed by a table. */
function readmeTables(readme: string): Table[] {
  return [...readme.matchAll(/<!-- option-table: ([\w ]+) -->\n((?:\|.*\n)+)/g)].map((match) => ({
    types: match[1]!.trim().split(/\s+/),
    rows: match[2]!.trim().split('\n').slice(2).map((row) => [...row.split('|')[1]!.matchAll(/`([A-Za-z]\w*)/g)].map((name) => name[1]!)),
  }))
}

/** Each exported interface of the built entries that isTabled() picks, with its property names (inherited ones included). */
function declaredOptions(): Map<string, Set<string>> {
  const files = ENTRIES.map((entry) => `${root}dist/${entry}.d.ts`)
  const program = ts.createProgram(files, {
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    baseUrl: root,
    paths: { 'axios-reauth': ['dist/index.d.ts'] },
  })
  const checker = program.getTypeChecker()
  const declared = new Map<string, Set<string>>()
  for (const file of files) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      if (!(symbol.flags & ts.SymbolFlags.Interface) || !isTabled(exported.name)) continue
      const names = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((property) => property.name)
      declared.set(exported.name, new Set([...(declared.get(exported.name) ?? []), ...names]))
    }
  }
  return declared
}

let declared: Map<string, Set<string>>
let tables: Table[]

beforeAll(() => {
  requireBuilt(ENTRIES.map((entry) => `dist/${entry}.d.ts`))
  declared = declaredOptions()
  tables = readmeTables(readFileSync(`${root}README.md`, 'utf8'))
})

describe("the README's option tables", () => {
  it('read the option bags of every entry from the built types', () => {
    expect([...declared.keys()]).toEqual(expect.arrayContaining(['AuthClientOptions', 'CrossTabOptions', 'AuthStoreOptions', 'AuthProviderProps', 'AuthPluginOptions', 'UseAuthResult', 'FakeAuthServerOptions']))
    expect(declared.get('AuthClientOptions')).toContain('leewaySeconds')
  })

  const tablesOf = (type: string) => tables.filter((table) => table.types.includes(type))

  it('have a table for every option bag the types export', () => {
    expect([...declared.keys()].filter((type) => tablesOf(type).length === 0)).toEqual([])
  })

  it('list every option the types accept, in the table of its type', () => {
    const missing = [...declared].flatMap(([type, names]) => [...names].filter((name) => !tablesOf(type).some((table) => table.rows.flat().includes(name))).map((name) => `${type}.${name}`))
    expect(missing).toEqual([])
  })

  it('list nothing the types do not have', () => {
    const extra = tables.flatMap(({ types, rows }) =>
      rows.filter((names) => names.length === 0 || names.some((name) => !types.some((type) => declared.get(type)?.has(name)))).map((names) => `${types.join(' ')}: ${names.join(', ') || '(a row without a name)'}`),
    )
    expect(extra).toEqual([])
  })

  it('name each export of the adapters and the testing entry', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8')
    const exported = ['react', 'vue', 'testing'].flatMap((entry) => {
      const code = readFileSync(`${root}dist/${entry}.js`, 'utf8')
      return [...code.matchAll(/^export \{([^}]*)\}/gm)].flatMap((match) => match[1]!.split(',').map((name) => name.trim().split(/\s+as\s+/).pop()!))
    })
    expect(exported).toContain('useAuthClient')
    expect(exported.filter((name) => !new RegExp(`[\`<]${name}\\b`).test(readme))).toEqual([])
  })
})
