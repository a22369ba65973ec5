// `npm start`: apply migrations to a PostgreSQL/Neon database, then `next start` (PORT is
// honoured by Next). Embedded PGlite migrates itself when the server opens it.
import { gatehouse, runNext } from "./processes.mjs";

const migrated = await gatehouse(["db", "migrate", "--skip-embedded"]);
if (migrated.code !== 0) process.exit(migrated.code);
process.stdout.write(migrated.stdout);

runNext(["start", ...process.argv.slice(2)]);
