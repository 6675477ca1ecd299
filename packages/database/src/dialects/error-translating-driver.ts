import type {
  CompiledQuery,
  DatabaseConnection,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely'

/**
 * A Kysely driver that hands every query error to `translate` before it reaches the caller, so a
 * failed page MAC surfaces as `workspace.corrupt` through `store.db` too, not only through the
 * store's own methods.
 */
export class ErrorTranslatingDriver implements Driver {
  readonly #inner: Driver
  readonly #translate: (error: unknown) => unknown
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>()

  constructor(inner: Driver, translate: (error: unknown) => unknown) {
    this.#inner = inner
    this.#translate = translate
  }

  init(): Promise<void> {
    return this.#inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection()
    const translate = this.#translate
    const outer: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        try {
          return await inner.executeQuery<R>(query)
        } catch (error) {
          throw translate(error)
        }
      },
      async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
        try {
          yield* inner.streamQuery<R>(query, chunkSize)
        } catch (error) {
          throw translate(error)
        }
      },
    }
    this.#wrapped.set(outer, inner)
    return outer
  }

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#wrapped.get(connection) ?? connection
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#guard(this.#inner.beginTransaction(this.#unwrap(connection), settings))
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(this.#inner.commitTransaction(this.#unwrap(connection)))
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(this.#inner.rollbackTransaction(this.#unwrap(connection)))
  }

  savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (this.#inner.savepoint === undefined) return Promise.reject(new Error('savepoints are not supported'))
    return this.#guard(this.#inner.savepoint(this.#unwrap(connection), name, compile))
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (this.#inner.rollbackToSavepoint === undefined)
      return Promise.reject(new Error('savepoints are not supported'))
    return this.#guard(this.#inner.rollbackToSavepoint(this.#unwrap(connection), name, compile))
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (this.#inner.releaseSavepoint === undefined)
      return Promise.reject(new Error('savepoints are not supported'))
    return this.#guard(this.#inner.releaseSavepoint(this.#unwrap(connection), name, compile))
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(this.#unwrap(connection))
  }

  destroy(): Promise<void> {
    return this.#inner.destroy()
  }

  async #guard(promise: Promise<void>): Promise<void> {
    try {
      await promise
    } catch (error) {
      throw this.#translate(error)
    }
  }
}
