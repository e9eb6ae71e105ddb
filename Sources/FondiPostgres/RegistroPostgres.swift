import Fondi
import FondiStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Where a ledger lives on PostgreSQL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB?ambito=CODE` (ADR 0019).
public struct IndirizzoPostgres: Sendable, Equatable {
    public var utente: String
    public var password: String?
    public var host: String
    public var porta: Int
    public var database: String
    public var ambito: String

    /// The schema of the Ambito's ledger: `ambito_` and the code in lower case (letters, digits, `_`).
    public var schema: String { "ambito_" + ambito.lowercased() }

    public static func riconosce(_ testo: String) -> Bool { testo.hasPrefix("postgres://") || testo.hasPrefix("postgresql://") }

    public init(_ testo: String) throws(ErrorePostgres) {
        guard let inizio = testo.range(of: "://"), Self.riconosce(testo) else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: atteso postgres://UTENTE@HOST:PORTA/DATABASE?ambito=CODICE")
        }
        var resto = Substring(testo[inizio.upperBound...])
        var query = ""
        if let q = resto.firstIndex(of: "?") { query = String(resto[resto.index(after: q)...]); resto = resto[..<q] }
        guard let chiocciola = resto.lastIndex(of: "@"), let barra = resto[chiocciola...].firstIndex(of: "/") else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: mancano l'utente (UTENTE@) o il database (/DATABASE)")
        }
        let credenziali = resto[..<chiocciola]
        if let duePunti = credenziali.firstIndex(of: ":") {
            utente = String(credenziali[..<duePunti]); password = String(credenziali[credenziali.index(after: duePunti)...])
        } else {
            utente = String(credenziali); password = nil
        }
        let server = resto[resto.index(after: chiocciola)..<barra]
        database = String(resto[resto.index(after: barra)...])
        if let duePunti = server.lastIndex(of: ":") {
            host = String(server[..<duePunti])
            guard let p = Int(server[server.index(after: duePunti)...]), (1...65535).contains(p) else {
                throw ErrorePostgres("indirizzo '\(testo)' non valido: porta '\(server[server.index(after: duePunti)...])' non è un numero da 1 a 65535")
            }
            porta = p
        } else {
            host = String(server); porta = 5432
        }
        var ambito: String?
        for coppia in query.split(separator: "&") {
            let parti = coppia.split(separator: "=", maxSplits: 1)
            if parti.count == 2, parti[0] == "ambito" { ambito = String(parti[1]) }
        }
        guard let ambito, !ambito.isEmpty, ambito.count <= 40,
              ambito.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: manca ?ambito=CODICE (lettere, cifre e _, fino a 40)")
        }
        guard !utente.isEmpty, !host.isEmpty, !database.isEmpty else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: utente, host e database non possono essere vuoti")
        }
        self.ambito = ambito
    }

    var configurazione: PostgresClient.Configuration {
        PostgresClient.Configuration(host: host, port: porta, username: utente, password: password, database: database, tls: .disable)
    }
}

/// A failure talking to PostgreSQL, in Italian for the operator.
public struct ErrorePostgres: Error, CustomStringConvertible, Sendable {
    public let messaggio: String
    public init(_ messaggio: String) { self.messaggio = messaggio }
    public var description: String { messaggio }
}

/// An Ambito's event log on PostgreSQL (ADR 0019): the same rows and canonical bytes as the SQLite store, the
/// same hash chain, a gapless commit-ordered `seq` under any number of concurrent writers (the head row is
/// taken `FOR UPDATE` in each appending transaction), and append-only enforced by the database itself.
public final class RegistroPostgres: Sendable {
    public let indirizzo: IndirizzoPostgres
    let client: PostgresClient
    let servizio: Task<Void, Never>
    static let log = Logger(label: "fondi.postgres")

    /// Opens a pool of connections to the server (`client.run()` in the background until `chiudi`).
    public init(_ indirizzo: IndirizzoPostgres, connessioni: Int = 8) {
        self.indirizzo = indirizzo
        var c = indirizzo.configurazione
        c.options.maximumConnections = connessioni
        let client = PostgresClient(configuration: c)
        self.client = client
        servizio = Task { await client.run() }
    }

    public func chiudi() { servizio.cancel() }

    /// One statement as is (tests, and the owner's administration).
    func esegui(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: Self.log)
    }

    var s: String { "\"" + indirizzo.schema + "\"" }

    /// Creates the Ambito's schema, owned by the connecting role, and gives `applicazione` exactly what an
    /// application needs: read and append events, read and move the head. Refuses a schema that exists.
    public func inizializza(applicazione: String) async throws {
        guard applicazione.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
            throw ErrorePostgres("ruolo applicativo '\(applicazione)' non valido")
        }
        let s = self.s
        try await client.withTransaction(logger: Self.log) { c in
            let esiste = try await c.query("SELECT count(*)::int8 FROM pg_namespace WHERE nspname = \(indirizzo.schema)", logger: Self.log)
                .collect().first?.decode(Int64.self) ?? 0
            guard esiste == 0 else {
                throw ErrorePostgres("il registro dell'ambito '\(indirizzo.ambito)' esiste già in questo database")
            }
            for sql in [
                "CREATE SCHEMA \(s)",
                """
                CREATE TABLE \(s).evento (
                    seq bigint PRIMARY KEY CHECK (seq >= 1),
                    tipo text NOT NULL,
                    versione integer NOT NULL CHECK (versione >= 1),
                    data text NOT NULL CHECK (length(data) = 10),
                    registrato_il text NOT NULL,
                    utente text NOT NULL,
                    chiave text,
                    atto text,
                    payload text NOT NULL,
                    hash bytea NOT NULL CHECK (length(hash) = 32)
                )
                """,
                "CREATE TABLE \(s).testa (unica boolean PRIMARY KEY DEFAULT true CHECK (unica), seq bigint NOT NULL, hash bytea NOT NULL)",
                "INSERT INTO \(s).testa (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'))",
                """
                CREATE FUNCTION \(s).solo_aggiunte() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'evento: il registro è append-only, nessuna modifica ammessa'; END $$
                """,
                "CREATE TRIGGER evento_solo_aggiunte BEFORE UPDATE OR DELETE ON \(s).evento FOR EACH ROW EXECUTE FUNCTION \(s).solo_aggiunte()",
                "CREATE TRIGGER evento_niente_truncate BEFORE TRUNCATE ON \(s).evento FOR EACH STATEMENT EXECUTE FUNCTION \(s).solo_aggiunte()",
                "GRANT USAGE ON SCHEMA \(s) TO \(applicazione)",
                "GRANT SELECT, INSERT ON \(s).evento TO \(applicazione)",
                "GRANT SELECT, UPDATE ON \(s).testa TO \(applicazione)",
            ] {
                try await c.query(PostgresQuery(unsafeSQL: sql), logger: Self.log)
            }
        }
    }

    /// The head: last seq and its hash (0 and 32 zero bytes for an empty ledger).
    public func testa() async throws -> (seq: Int64, hash: [UInt8]) {
        let righe = try await client.query(PostgresQuery(unsafeSQL: "SELECT seq, hash FROM \(s).testa"), logger: Self.log).collect()
        guard let r = righe.first else { throw ErrorePostgres("registro dell'ambito '\(indirizzo.ambito)' senza testa: non inizializzato") }
        let (seq, hash) = try r.decode((Int64, ByteBuffer).self)
        return (seq, Array(buffer: hash))
    }

    /// Appends `eventi` in one transaction: the head row is locked first, so concurrent appenders (processes or
    /// connections) take turns, each seq follows the last committed one, and each hash chains on the last
    /// committed hash. Returns the seq and hash of each event.
    /// `registratoIl` is the recording time of each event (now, for a new command; the source's, for a copy).
    public func aggiungi(_ eventi: [(evento: Evento, contesto: Contesto, registratoIl: String)])
        async throws -> [(seq: Int64, hash: [UInt8])] {
        let s = self.s
        return try await client.withTransaction(logger: Self.log) { c in
            let riga = try await c.query(PostgresQuery(unsafeSQL: "SELECT seq, hash FROM \(s).testa FOR UPDATE"), logger: Self.log).collect()
            guard let testa = riga.first else { throw ErrorePostgres("registro senza testa") }
            let (seq, hashBuffer) = try testa.decode((Int64, ByteBuffer).self)
            let righe = Riga.catena(eventi, dopo: seq, precedente: Array(buffer: hashBuffer))
            if righe.count >= Self.sogliaCopy {
                // Many events (an importa, a copy): one COPY stream instead of a round trip per row.
                var dati = ByteBuffer()
                for r in righe { Self.rigaCopy(&dati, r.campiCopy) }
                try await c.query("SET LOCAL search_path TO \(unescaped: s)", logger: Self.log)
                try await c.copyFrom(table: "evento", columns: Self.colonne, logger: Self.log) { [dati] w in try await w.write(dati) }
            } else {
                for r in righe {
                    let versione = Int32(r.versione), hash = ByteBuffer(bytes: r.hash)
                    try await c.query("""
                        INSERT INTO \(unescaped: s).evento (seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash)
                        VALUES (\(r.seq), \(r.tipo), \(versione), \(r.data), \(r.registratoIl), \(r.utente), \(r.chiave), \(r.atto), \(r.payload), \(hash))
                        """, logger: Self.log)
                }
            }
            if let ultima = righe.last {
                let hash = ByteBuffer(bytes: ultima.hash)
                try await c.query("UPDATE \(unescaped: s).testa SET seq = \(ultima.seq), hash = \(hash)", logger: Self.log)
            }
            return righe.map { ($0.seq, $0.hash) }
        }
    }

    /// The rows of `eventi` in COPY's text format, as the ledger stores them (hashes as computed).
    public static func righeCopy(_ eventi: [EventoRegistrato]) -> ByteBuffer {
        var righe = ByteBuffer()
        for e in eventi {
            rigaCopy(&righe, Riga(seq: e.seq, tipo: e.evento.tipo, versione: e.versione, data: e.data.description, registratoIl: e.registratoIl,
                                  utente: e.utente, chiave: e.chiave, atto: e.atto, payload: String(decoding: e.evento.payloadCanonico, as: UTF8.self),
                                  hash: e.hashByte).campiCopy)
        }
        return righe
    }

    /// The benchmark's ceiling: rows already made COPY'd into a plain table of the ledger's columns beside it
    /// (no head, no triggers), in one transaction; the table is dropped afterwards.
    public func copiaGrezza(_ righe: ByteBuffer) async throws {
        let s = self.s
        try await client.withTransaction(logger: Self.log) { c in
            try await c.query("CREATE TABLE \(unescaped: s).grezzo (LIKE \(unescaped: s).evento INCLUDING ALL)", logger: Self.log)
            try await c.query("SET LOCAL search_path TO \(unescaped: s)", logger: Self.log)
            try await c.copyFrom(table: "grezzo", columns: Self.colonne, logger: Self.log) { w in try await w.write(righe) }
        }
        try await esegui("DROP TABLE \(s).grezzo")
    }

    /// One event row as both engines store it, with its chain hash.
    struct Riga {
        let seq: Int64, tipo: String, versione: Int, data: String, registratoIl: String, utente: String
        let chiave: String?, atto: String?, payload: String, hash: [UInt8]

        /// The rows of `eventi` numbered after `seq` and chained on `precedente` (the head's hash).
        static func catena(_ eventi: [(evento: Evento, contesto: Contesto, registratoIl: String)], dopo seq: Int64, precedente: [UInt8]) -> [Riga] {
            var seq = seq, precedente = precedente
            return eventi.map { evento, contesto, registratoIl in
                seq += 1
                let payload = evento.payloadCanonico, data = contesto.data.description
                let canonico = Canonico.evento(seq: seq, tipo: evento.tipo, versione: evento.versioneScritta, data: data, registratoIl: registratoIl,
                                               utente: contesto.utente.testo, chiave: contesto.chiave?.testo, atto: contesto.atto?.testo, payload: payload)
                precedente = Catena.hash(precedente: precedente, canonico: canonico)
                return Riga(seq: seq, tipo: evento.tipo, versione: evento.versioneScritta, data: data, registratoIl: registratoIl,
                            utente: contesto.utente.testo, chiave: contesto.chiave?.testo, atto: contesto.atto?.testo,
                            payload: String(decoding: payload, as: UTF8.self), hash: precedente)
            }
        }

        /// The fields in `colonne` order, the hash in bytea's input form.
        var campiCopy: [String?] {
            [String(seq), tipo, String(versione), data, registratoIl, utente, chiave, atto, payload, "\\x" + Catena.esadecimale(hash)]
        }
    }

    /// From this many events an append streams them with COPY.
    static let sogliaCopy = 32
    static let colonne = ["seq", "tipo", "versione", "data", "registrato_il", "utente", "chiave", "atto", "payload", "hash"]

    /// One row of COPY's text format: tab-separated, `\N` for NULL, backslash, tab, newline and carriage
    /// return escaped (a bytea is given as `\x` and hex, its input form, which the escaping makes `\\x` on the wire).
    static func rigaCopy(_ out: inout ByteBuffer, _ campi: [String?]) {
        for (i, campo) in campi.enumerated() {
            if i > 0 { out.writeInteger(UInt8(0x09)) }
            guard let campo else { out.writeString("\\N"); continue }
            for b in campo.utf8 {
                switch b {
                case 0x5C: out.writeString("\\\\")
                case 0x09: out.writeString("\\t")
                case 0x0A: out.writeString("\\n")
                case 0x0D: out.writeString("\\r")
                default: out.writeInteger(b)
                }
            }
        }
        out.writeInteger(UInt8(0x0A))
    }

    /// Recomputes the chain from the first event: the count and the head's hash, or the first seq that breaks
    /// (a gap, a changed byte, a wrong link), as the SQLite store's `verifica` reads its own rows.
    public func verificaCatena() async throws -> (eventi: Int64, testa: [UInt8]) {
        let righe = try await client.query(PostgresQuery(unsafeSQL: "SELECT seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash FROM \(s).evento ORDER BY seq"), logger: Self.log)
        var atteso: Int64 = 1
        var precedente = Catena.hashZero
        for try await r in righe {
            let (seq, tipo, versione, data, registratoIl, utente, chiave, atto, payload, hash) =
                try r.decode((Int64, String, Int32, String, String, String, String?, String?, String, ByteBuffer).self)
            guard seq == atteso else { throw ErrorePostgres("catena interrotta: atteso l'evento \(atteso), trovato \(seq)") }
            let canonico = Canonico.evento(seq: seq, tipo: tipo, versione: Int(versione), data: data, registratoIl: registratoIl, utente: utente,
                                           chiave: chiave, atto: atto, payload: Array(payload.utf8))
            let calcolato = Catena.hash(precedente: precedente, canonico: canonico)
            guard calcolato == Array(buffer: hash) else { throw ErrorePostgres("catena interrotta all'evento \(seq): l'hash non corrisponde") }
            precedente = calcolato
            atteso += 1
        }
        let t = try await testa()
        guard t.seq == atteso - 1, t.hash == precedente else {
            throw ErrorePostgres("la testa del registro (seq \(t.seq)) non corrisponde all'ultimo evento (seq \(atteso - 1))")
        }
        return (atteso - 1, precedente)
    }
}
