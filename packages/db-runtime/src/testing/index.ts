export { startTursoStandin, type TursoStandin } from './turso-standin';
