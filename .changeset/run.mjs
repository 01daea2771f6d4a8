// Runs the changesets CLI by its module, not its bin: the bin calls module.enableCompileCache(),
// which Node 20 (our lowest supported Node) does not have; the CLI itself runs there.
await import('@changesets/cli')
