export { diagnose } from './diagnose'
