import Fondi
import FondiStore
import NIOPosix

/// The ledger file as the server uses it: every request opens its own connection on NIO's thread pool, so
/// SQLite's blocking calls never run on an event loop, readers never wait for a writer (WAL), and two
/// writers (the server and a CLI at once) serialise on SQLite's write lock like two CLI processes (ADR 0015).
public struct Archivio: Sendable {
    public let percorso: String

    public init(percorso: String) { self.percorso = percorso }

    /// Runs `corpo` on a connection opened in `modo`, off the event loops.
    public func usa<T: Sendable>(_ modo: Registro.Modo, _ corpo: @escaping @Sendable (Registro) throws -> T) async throws -> T {
        let percorso = self.percorso
        return try await NIOThreadPool.singleton.runIfActive {
            try corpo(try Registro.apri(percorso: percorso, modo: modo))
        }
    }
}
