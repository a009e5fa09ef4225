// Prints a Parquet file as JSON with hyparquet (an independent JavaScript reader):
// {"columns": [...top-level names], "metadata": {key: value}, "rows": [{column: value}]}.
// LeRobotExportTest reads every table of an export through it.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet'

const file = await asyncBufferFromFile(process.argv[2])
const metadata = await parquetMetadataAsync(file)
const rows = await parquetReadObjects({ file, metadata })
const kv = {}
for (const { key, value } of metadata.key_value_metadata ?? []) kv[key] = value
const columns = parquetSchema(metadata).children.map(c => c.element.name)
process.stdout.write(JSON.stringify({ columns, metadata: kv, rows },
  (k, v) => typeof v === 'bigint' ? Number(v) : v))
