// `npm run bench` runs every benchmark; `npm run bench -- NAME` runs those whose name contains NAME.
// Each figure prints on its own line as `figure-name: value unit`.
import * as foundation from './foundation.bench';
import * as catalog from './catalog.bench';
import * as orders from './orders.bench';
import * as distribution from './distribution.bench';
import * as plugins from './plugins.bench';

const benches: Record<string, () => Promise<void>> = { ...foundation, ...catalog, ...orders, ...distribution, ...plugins };
const filter = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (filter && !name.toLowerCase().includes(filter.toLowerCase())) continue;
  console.error(`# ${name}`);
  await run();
}
