// Tells whether rows of a few tables may have changed since a moment, so what was read from them
// can be kept in memory and still be exact: the principal cache (services/accounts/principal-cache.ts)
// uses it to answer an API key or a session without reading users, keys and plans on every request,
// while a revoked key or a suspended user still fails on the very next request.
//
// SQLite only: it sees every statement this process sends through Kysely (a plugin), and asks
// SQLite (`PRAGMA data_version`) whether any other connection committed since, which covers the
// CLI, a second connection and anything else that writes the file. PostgreSQL deployments may run
// several processes, whose writes nothing here would see in time: they get no watch, and no cache.
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** What is watched: table name → columns whose updates alone do not count (e.g. a last-used time). */
export type WatchedTables = Readonly<Record<string, { ignoreUpdatesOf?: readonly string[] }>>;

/** Equal versions, taken before reading and now, mean no watched row changed in between. */
export interface ChangeWatch {
  version(): string;
}

interface DataVersion {
  get(): unknown;
}

export class SqliteChangeWatch implements ChangeWatch, KyselyPlugin {
  /** Bumped before and after each statement of this process that may write a watched table. */
  private local = 0;
  private dataVersion: DataVersion | null = null;
  private readonly writes = new WeakSet<object>();

  constructor(private readonly tables: WatchedTables) {}

  /** The connection Kysely uses (better-sqlite3): its data_version counts other connections' commits. */
  attach(sqlite: { prepare(source: string): { pluck(on?: boolean): DataVersion } }): void {
    this.dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  }

  version(): string {
    if (!this.dataVersion) throw new Error('SqliteChangeWatch: attach() the connection first');
    return `${this.local}.${this.dataVersion.get()}`;
  }

  // Bumped before the statement runs and again after: a reader that took the version between the
  // two may have read the old row, and the second bump makes its version stale. A transaction holds
  // SQLite's one connection until it commits, so no reader sees its rows before they are final.
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.mayWrite(args.node)) {
      this.local++;
      this.writes.add(args.queryId);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) this.local++;
    return args.result;
  }

  /** Whether a statement may change a watched row. Anything not known to be harmless counts. */
  private mayWrite(node: RootOperationNode): boolean {
    const n = node as OperationNode & { with?: unknown; into?: OperationNode; table?: OperationNode; from?: { froms: readonly OperationNode[] }; using?: unknown; updates?: ReadonlyArray<{ column: OperationNode }> };
    if (n.with) return true; // a CTE could hide anything
    switch (node.kind) {
      case 'SelectQueryNode':
        return false;
      case 'InsertQueryNode':
        return n.into === undefined || this.watches(n.into);
      case 'DeleteQueryNode':
        return n.using !== undefined || n.from === undefined || n.from.froms.some((t) => this.watches(t));
      case 'UpdateQueryNode': {
        const table = n.table === undefined ? null : tableName(n.table);
        if (table === null) return true;
        const watched = this.tables[table];
        if (!watched) return false;
        // Counted unless every column it sets is one that does not matter (a last-used time).
        const ignored = watched.ignoreUpdatesOf ?? [];
        const updates = n.updates ?? [];
        return updates.length === 0 || updates.some((u) => !ignored.includes(columnName(u.column) ?? ''));
      }
      case 'RawNode': // sql`…`: a plain SELECT (a readiness check) cannot write in SQLite; anything else may
        return !/^\s*select\s/i.test((node as { sqlFragments?: readonly string[] }).sqlFragments?.[0] ?? '');
      default:
        return true; // schema changes, anything new
    }
  }

  private watches(table: OperationNode): boolean {
    const name = tableName(table);
    return name === null || name in this.tables;
  }
}

function tableName(node: OperationNode): string | null {
  const n = node as OperationNode & { node?: OperationNode; table?: { identifier?: { name?: string } } };
  if (node.kind === 'AliasNode' && n.node) return tableName(n.node);
  if (node.kind === 'TableNode') return n.table?.identifier?.name ?? null;
  return null;
}

function columnName(node: OperationNode): string | null {
  const n = node as OperationNode & { column?: { name?: string } };
  return node.kind === 'ColumnNode' ? n.column?.name ?? null : null;
}
