import { config } from "../config";
import { migrate } from "./migrate";

const result = await migrate(config().databaseUrl);
console.log(
  result.applied.length
    ? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : `database is up to date (${result.alreadyApplied.length} migration(s))`,
);
