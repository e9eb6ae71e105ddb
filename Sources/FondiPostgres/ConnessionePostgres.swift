import Dispatch
import Fondi
import Foundation
import FondiStore
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// One connection to an Ambito's ledger on PostgreSQL, behind the same `Connessione` as SQLite (ADR 0020).
///
/// Synchronous, like the SQLite engine: `Registro` runs on the caller's thread (the CLI's, or one of the
/// server's store threads), and each call waits for postgres-nio on its event loop. What PostgreSQL does
/// better is used where it matters:
/// - **Batched writes, values bound.** postgres-nio runs one statement at a time on a connection, a round trip
///   each. So inside a transaction the statements that return no rows are held back (`LottoScritture`) and
///   sent before the next read of a table they change, at the commit, or when the batch is large: the rows
///   of one statement as bound arrays (`unnest`), the statements of different tables as the clauses of one
///   `WITH` (ADR 0026). No value is ever written into SQL text: every statement leaves through `invia`, its
///   values in its bindings. A command's writes cost one round trip, a bulk import's thousands of rows a few.
///   A failure fails the transaction.
/// - **One writer per ledger** by the head row taken `FOR UPDATE` (`iniziaScrittura`): seq and chain follow
///   commit order whatever the number of processes and connections (ADR 0019).
/// - **Reads in one snapshot**: `REPEATABLE READ READ ONLY`.
/// - **Streaming**: a long result (replay) is pulled in batches with postgres-nio's back-pressure.
package final class ConnessionePostgres: Connessione, @unchecked Sendable {
    package var motore: Motore { .postgres }
    let connessione: PostgresConnection
    let indirizzo: IndirizzoPostgres
    static let log = Logger(label: "fondi.postgres")
    private var cache: [String: IstruzionePostgres] = [:]
    private var lotto = LottoScritture()
    /// A batch of this transaction failed: `conferma` refuses to commit what is left of it.
    private var fallita = false
    package private(set) var inTransazione = false
    /// Which transaction is open (a cursor belongs to one), and a counter to name cursors.
    private(set) var transazione = 0
    private var cursori = 0
    func prossimoCursore() -> Int { cursori += 1; return cursori }

    /// How long a writer waits for the head row held by another writer (as SQLite's busy timeout).
    static let attesaBlocco = "5s"

    package init(_ indirizzo: IndirizzoPostgres) throws(ErroreArchivio) {
        self.indirizzo = indirizzo
        let tls: PostgresConnection.Configuration.TLS
        do { tls = try indirizzo.tls() } catch {
            throw ErroreArchivio.motore(codice: ErroreArchivio.codiceNonAperto, messaggio: error.messaggio, dettaglio: "tls")
        }
        let configurazione = PostgresConnection.Configuration(host: indirizzo.host, port: indirizzo.porta, username: indirizzo.utente,
                                                              password: indirizzo.password, database: indirizzo.database, tls: tls)
        do {
            connessione = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configurazione,
                                                         id: 1, logger: Self.log).wait()
        } catch {
            let e = Self.errore(error, indirizzo: indirizzo)
            guard e.codice == ErroreArchivio.codiceNonAperto, e.messaggio.contains("interrotta") else { throw e }
            throw ErroreArchivio.motore(codice: ErroreArchivio.codiceNonAperto,
                                        messaggio: "server PostgreSQL \(indirizzo.host):\(indirizzo.porta) non raggiungibile (\(e.dettaglio)): controlla indirizzo e porta, nulla è stato scritto",
                                        dettaglio: e.dettaglio)
        }
        do {
            // One round trip. The schema's name as a quoted identifier: it holds only letters, digits and _
            // (checked with the address).
            var legami = PostgresBindings()
            legami.append(Self.attesaBlocco)
            legami.append("\"\(indirizzo.schema)\"")
            _ = try interroga("SELECT set_config('lock_timeout', $1, false), set_config('search_path', $2, false)", legami)
        } catch {
            _ = try? connessione.close().wait()
            throw error
        }
    }

    /// Points the session at another schema of the same database (the regional view reads each Ambito in turn
    /// on one connection). Safe for every statement this connection keeps: each is sent unnamed and parsed at
    /// each execution, so its table names are resolved in the schema current then.
    package func usaSchema(_ schema: String) throws(ErroreArchivio) {
        var legami = PostgresBindings()
        legami.append("\"\(schema)\"")
        _ = try interroga("SELECT set_config('search_path', $1, false)", legami)
    }

    deinit {
        cache.removeAll()
        if !connessione.isClosed { _ = try? aspetta(connessione.close()) }
    }

    /// Waits for `futuro`, but not for ever: postgres-nio 1.33.2 may leave a query's answer pending when the
    /// server dies under it (seen with a kill -9 of the postmaster). Every second without an answer, a closed
    /// connection ends the wait as a dropped connection.
    func aspetta<T: Sendable>(_ futuro: EventLoopFuture<T>) throws -> T {
        let esito = EsitoAtteso<T>(), fatto = DispatchSemaphore(value: 0)
        futuro.whenComplete { r in
            esito.valore = r.mapError { $0 }
            fatto.signal()
        }
        while fatto.wait(timeout: .now() + 1) == .timedOut {
            if connessione.isClosed {
                throw ErroreArchivio.motore(codice: ErroreArchivio.codiceNonAperto,
                                            messaggio: "connessione al server PostgreSQL \(indirizzo.host):\(indirizzo.porta) interrotta: il comando non è stato confermato; ripetilo con la stessa --chiave per non registrarlo due volte",
                                            dettaglio: "connessione chiusa")
            }
        }
        return try esito.valore!.get()
    }

    /// A refused TLS handshake, in words: the certificate not signed by a trusted authority, not made out to the
    /// host, or a server without TLS when the address requires it. Nil for any other failure.
    static func erroreTLS(_ e: any Error, indirizzo: IndirizzoPostgres) -> ErroreArchivio? {
        let testo = String(reflecting: e)
        let server = "\(indirizzo.host):\(indirizzo.porta)"
        let messaggio: String
        if testo.contains("failedToValidateHostname") || testo.contains("HOSTNAME_MISMATCH") || testo.contains("IP_ADDRESS_MISMATCH") {
            messaggio = "il certificato del server PostgreSQL \(server) non è intestato a '\(indirizzo.host)' (sslmode=verify-full): usa il nome scritto nel certificato; nessuna connessione è stata aperta"
        } else if testo.contains("CERTIFICATE_VERIFY_FAILED") || testo.contains("certificate verify failed") || testo.contains("unable to get local issuer") {
            messaggio = "il certificato del server PostgreSQL \(server) non è firmato da un'autorità attendibile (sslmode=\(indirizzo.ssl.rawValue)): indica in sslrootcert il certificato dell'autorità giusta; nessuna connessione è stata aperta"
        } else if testo.contains("sslUnsupported") {
            messaggio = "il server PostgreSQL \(server) non accetta connessioni TLS, richieste da sslmode=\(indirizzo.ssl.rawValue): attiva ssl sul server o usa sslmode=prefer; nessuna connessione è stata aperta"
        } else {
            return nil
        }
        return .motore(codice: ErroreArchivio.codiceNonAperto, messaggio: messaggio, dettaglio: "tls")
    }

    /// The Italian message for a failure of the server or the connection, with SQLite's code for its kind
    /// (so `transitorio`, exit codes and HTTP statuses are the same on both engines).
    static func errore(_ e: any Error, indirizzo: IndirizzoPostgres) -> ErroreArchivio {
        if let e = e as? ErroreArchivio { return e }
        if let tls = erroreTLS(e, indirizzo: indirizzo) { return tls }
        guard let p = e as? PSQLError else {
            return .motore(codice: ErroreArchivio.codiceNonAperto,
                           messaggio: "server PostgreSQL \(indirizzo.host):\(indirizzo.porta) non raggiungibile (\(e)): nessuna modifica è stata scritta",
                           dettaglio: "\(e)")
        }
        let stato = p.serverInfo?[.sqlState] ?? ""
        let testo = p.serverInfo?[.message] ?? "\(p.code)"
        switch stato {
        case "":
            // No answer from the server: the connection dropped or was never made.
            return .motore(codice: ErroreArchivio.codiceNonAperto,
                           messaggio: "connessione al server PostgreSQL \(indirizzo.host):\(indirizzo.porta) interrotta (\(p.code)): il comando non è stato confermato; ripetilo con la stessa --chiave per non registrarlo due volte",
                           dettaglio: "\(p.code)")
        case "55P03", "40001", "40P01":
            return .motore(codice: ErroreArchivio.codiceOccupato, messaggio: "il registro è bloccato da un altro processo: riprova tra poco", dettaglio: testo)
        case "57014":
            return .motore(codice: ErroreArchivio.codiceInterrotto,
                           messaggio: "lettura interrotta: ha superato il tempo massimo concesso a una richiesta", dettaglio: testo)
        case "28P01", "28000":
            return .motore(codice: ErroreArchivio.codiceNonAperto,
                           messaggio: "accesso negato dal server PostgreSQL all'utente '\(indirizzo.utente)': controlla utente e password", dettaglio: testo)
        case "3D000":
            return .motore(codice: ErroreArchivio.codiceNonAperto,
                           messaggio: "il database '\(indirizzo.database)' non esiste sul server PostgreSQL \(indirizzo.host):\(indirizzo.porta)", dettaglio: testo)
        case "42501":
            return .motore(codice: ErroreArchivio.codiceErrore,
                           messaggio: "l'utente PostgreSQL '\(indirizzo.utente)' non ha i permessi per questa operazione sul registro dell'ambito \(indirizzo.ambito): nessuna modifica è stata scritta",
                           dettaglio: testo)
        case "53100":
            return .motore(codice: 13, messaggio: "spazio su disco del server PostgreSQL esaurito: nessuna modifica è stata scritta", dettaglio: testo)
        case _ where stato.hasPrefix("23") || stato == "P0001":
            return .motore(codice: ErroreArchivio.codiceVincolo,
                           messaggio: "il registro ha rifiutato una scrittura incoerente (\(testo)): nessuna modifica è stata scritta", dettaglio: testo)
        case _ where stato.hasPrefix("08") || stato.hasPrefix("57P"):
            return .motore(codice: ErroreArchivio.codiceNonAperto,
                           messaggio: "connessione al server PostgreSQL interrotta (\(testo)): il comando non è stato confermato; ripetilo con la stessa --chiave per non registrarlo due volte",
                           dettaglio: testo)
        default:
            return .motore(codice: ErroreArchivio.codiceErrore, messaggio: "errore dell'archivio PostgreSQL (\(stato): \(testo))", dettaglio: testo)
        }
    }

    func errore(_ e: any Error) -> ErroreArchivio { Self.errore(e, indirizzo: indirizzo) }

    /// Sees the text of every statement sent, for the tests that prove no value travels inside it.
    static let osservatore = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Sends a statement and returns its answer to come. The one place SQL text leaves Fondi for PostgreSQL:
    /// its text is the program's own (statements, identifiers checked when the address was read), every value
    /// travels in `legami` (ADR 0026).
    func invia(_ sql: String, _ legami: PostgresBindings = PostgresBindings()) -> EventLoopFuture<PostgresQueryResult> {
        if let vede = Self.osservatore.withLock({ $0 }) { vede(sql) }
        return connessione.query(PostgresQuery(unsafeSQL: sql, binds: legami), logger: Self.log)
    }

    /// Sends the writes held back, a statement per run of tables (usually one), and checks that each
    /// written-back row changed exactly one row.
    func attendi() throws(ErroreArchivio) {
        guard !lotto.vuoto else { return }
        let istruzioni = lotto.istruzioni()
        lotto = LottoScritture()
        do throws(ErroreArchivio) {
            for i in istruzioni {
                let esito: PostgresQueryResult
                do { esito = try aspetta(invia(i.sql, i.legami)) } catch { throw errore(error) }
                try Self.controlla(i, esito)
            }
        } catch {
            // Part of the batch may be applied and the rest is dropped: this transaction can only be rolled back.
            if inTransazione { fallita = true }
            throw error
        }
    }

    /// The rows each checked clause changed, against those it had to.
    static func controlla(_ i: InvioLotto, _ esito: PostgresQueryResult) throws(ErroreArchivio) {
        guard !i.controlli.isEmpty else { return }
        var cambiate: [Int] = []
        if i.semplice {
            cambiate = [esito.metadata.rows ?? 0]
        } else if let riga = esito.rows.first {
            for cella in riga { cambiate.append(Int((try? cella.decode(Int64.self)) ?? -1)) }
        }
        for (k, c) in i.controlli.enumerated() where k >= cambiate.count || cambiate[k] != c.attese {
            throw ErroreArchivio.unaRiga(c.descrizione, righe: k < cambiate.count ? cambiate[k] : 0)
        }
    }

    /// Runs `sql` with `valori` bound and waits for its rows (after the writes held back).
    /// `legge`: the SQL of a read, when known. The writes held back are sent first only if the read names one
    /// of the tables they change (a statement sees only the tables it names: no views, no functions that
    /// read); a bulk import's lookups of projections then cost one round trip each, not two.
    func interroga(_ sql: String, _ legami: PostgresBindings = PostgresBindings(), legge: String? = nil) throws(ErroreArchivio) -> PostgresQueryResult {
        if let legge, !lotto.tocca(legge) {} else { try attendi() }
        do {
            return try aspetta(invia(sql, legami))
        } catch {
            throw errore(error)
        }
    }

    /// A statement that returns no rows (`sql` numbered `$N`): held back inside a transaction, run now outside.
    func scrivi(_ forma: FormaScrittura, _ sql: String, _ valori: [ValoreSQL], unaRiga: String? = nil) throws(ErroreArchivio) {
        lotto.aggiungi(sql, forma, valori, controllo: unaRiga)
        if !inTransazione || lotto.pieno { try attendi() }
    }

    /// Sets a run-time parameter of this session, its value bound.
    func imposta(_ parametro: String, _ valore: String) throws(ErroreArchivio) {
        var legami = PostgresBindings()
        legami.append(parametro)
        legami.append(valore)
        _ = try interroga("SELECT set_config($1, $2, false)", legami)
    }

    package func esegui(_ sql: String) throws(ErroreArchivio) {
        _ = try interroga(sql)
    }

    package func istruzione(_ sql: String) throws(ErroreArchivio) -> any Istruzione {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        let s = IstruzionePostgres(connessione: self, sql: Self.numera(sql))
        // Bounded: statements whose text carries a varying shape (an IN list's length) must not grow the cache
        // for ever. Dropping it only costs a prepare; a statement still held by a caller lives on until released.
        if cache.count >= Limiti.istruzioniInCache { cache.removeAll(keepingCapacity: true) }
        cache[sql] = s
        return s
    }

    package func iniziaScrittura() throws(ErroreArchivio) {
        try esegui("BEGIN")
        fallita = false
        inTransazione = true
        transazione += 1
        do {
            // Every writer of this ledger queues here, in commit order (ADR 0019).
            _ = try interroga("SELECT unica FROM testa FOR UPDATE")
        } catch {
            annulla()
            throw error
        }
    }

    /// A plain transaction, for `fondi init`'s DDL.
    func iniziaAmministrazione() throws(ErroreArchivio) {
        try esegui("BEGIN")
        fallita = false
        inTransazione = true
        transazione += 1
    }

    package func iniziaLettura() throws(ErroreArchivio) {
        try esegui("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        fallita = false
        inTransazione = true
        transazione += 1
    }

    package func conferma() throws(ErroreArchivio) {
        do throws(ErroreArchivio) {
            try attendi()
            guard !fallita else {
                throw ErroreArchivio.motore(codice: ErroreArchivio.codiceErrore, messaggio: "una scrittura della transazione non è riuscita: nessuna modifica è stata scritta",
                                            dettaglio: "lotto")
            }
            // A transaction the server has aborted answers COMMIT with ROLLBACK, and no error: that is one.
            let esito = try interroga("COMMIT")
            inTransazione = false
            guard esito.metadata.command == "COMMIT" else {
                throw ErroreArchivio.motore(codice: ErroreArchivio.codiceErrore, messaggio: "il server PostgreSQL ha annullato la transazione: nessuna modifica è stata scritta",
                                            dettaglio: esito.metadata.command)
            }
        } catch {
            annulla()
            throw error
        }
    }

    package func annulla() {
        lotto = LottoScritture()
        fallita = false
        if !connessione.isClosed { _ = try? aspetta(invia("ROLLBACK")) }
        inTransazione = false
    }

    package func limitaDurata(secondi: Double) {
        // 0 (or less) lifts the limit, as PostgreSQL's statement_timeout = 0 does.
        let ms = secondi > 0 && secondi < 1e6 ? max(1, Int(secondi * 1000)) : 0
        _ = try? imposta("statement_timeout", String(ms))
    }

    /// Streams `righe` (COPY's text format) into `tabella` of the search path, and waits for the server.
    package func copia(tabella: String, colonne: [String], righe: ByteBuffer) throws(ErroreArchivio) {
        try attendi()
        let c = connessione
        do {
            try bloccante { try await c.copyFrom(table: tabella, columns: colonne, logger: Self.log) { w in try await w.write(righe) } }
        } catch {
            throw errore(error)
        }
    }

    package static let colonneEvento = ["seq", "tipo", "versione", "data", "registrato_il", "utente", "chiave", "atto", "payload", "hash"]

    /// One row of COPY's text format: tab-separated, `\N` for NULL, backslash, tab, newline and carriage
    /// return escaped (a bytea is given as `\x` and hex, its input form, which the escaping makes `\\x` on the wire).
    package static func rigaCopy(_ out: inout ByteBuffer, _ campi: [String?]) {
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

    /// `?` and `?N` parameters as PostgreSQL's `$N` (outside quoted text).
    static func numera(_ sql: String) -> String {
        var out = "", n = 0, inTesto = false
        var i = sql.unicodeScalars.startIndex
        let s = sql.unicodeScalars
        while i < s.endIndex {
            let c = s[i]
            if c == "'" { inTesto.toggle() }
            if c == "?", !inTesto {
                var j = s.index(after: i), cifre = ""
                while j < s.endIndex, ("0"..."9").contains(s[j]) { cifre.unicodeScalars.append(s[j]); j = s.index(after: j) }
                if cifre.isEmpty { n += 1; out += "$\(n)" } else { out += "$" + cifre }
                i = j
                continue
            }
            out.unicodeScalars.append(c)
            i = s.index(after: i)
        }
        return out
    }
}

/// A statement on PostgreSQL: the SQL and its bindings, run by the extended protocol; rows are read from
/// one batch at a time, their bytes copied into one buffer per row so `grezzo` can point into it.
final class IstruzionePostgres: Istruzione, @unchecked Sendable {
    unowned let connessione: ConnessionePostgres
    let sql: String
    private var legami = PostgresBindings()
    private var righe: [PostgresRow] = []
    private var indice = -1
    /// The server-side cursor a streamed read is fetched from, and the transaction it belongs to.
    private var cursore: (nome: String, transazione: Int)?
    private var avviato = false
    private var finito = false
    // The current row: each column's start and length in `memoria` (length -1 for NULL), and its type.
    private var memoria = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 8)
    private var celle: [(inizio: Int, lunghezza: Int, tipo: PostgresDataType)] = []

    static let lotto = 2_000

    /// What a write looks like, worked out once per statement.
    let forma: FormaScrittura

    init(connessione: ConnessionePostgres, sql: String) {
        self.connessione = connessione
        self.sql = sql
        forma = FormaScrittura(sql)
    }

    deinit { memoria.deallocate() }

    func reset() {
        chiudiCursore()
        legami = PostgresBindings()
        righe = []
        indice = -1
        avviato = false
        finito = false
    }

    /// Closes the cursor of a read left before its end, if its transaction is still the current one.
    private func chiudiCursore() {
        guard let c = cursore else { return }
        cursore = nil
        if connessione.inTransazione, connessione.transazione == c.transazione {
            _ = try? connessione.interroga("CLOSE \(c.nome)", legge: "")
        }
    }

    func lega(_ valori: [ValoreSQL]) {
        legami = InvioLotto.legami(valori)
    }

    func esegui(_ valori: [ValoreSQL]) throws(ErroreArchivio) {
        try connessione.scrivi(forma, sql, valori)
    }

    func eseguiUnaRiga(_ valori: [ValoreSQL], descrizione: @autoclosure () -> String) throws(ErroreArchivio) {
        try connessione.scrivi(forma, sql, valori, unaRiga: descrizione())
    }

    func righe<T>(_ valori: [ValoreSQL], mappa: (any Istruzione) throws(ErroreArchivio) -> T) throws(ErroreArchivio) -> [T] {
        lega(valori)
        righe = try connessione.interroga(sql, legami, legge: sql).rows
        finito = true
        var out: [T] = []
        out.reserveCapacity(righe.count)
        for k in righe.indices {
            indice = k
            carica(righe[k])
            out.append(try mappa(self))
        }
        reset()
        return out
    }

    /// Steps through a result. Inside a transaction (a replay, a verification: they run in one), the rows
    /// come from a server-side cursor a batch at a time, so memory stays one batch whatever the ledger's size;
    /// outside one, the whole (small) result is read at once.
    func passo() throws(ErroreArchivio) -> Bool {
        if !avviato {
            avviato = true
            if connessione.inTransazione {
                let nome = "fondi_cursore_\(connessione.prossimoCursore())"
                _ = try connessione.interroga("DECLARE \(nome) NO SCROLL CURSOR FOR " + sql, legami, legge: sql)
                cursore = (nome, connessione.transazione)
            } else {
                righe = try connessione.interroga(sql, legami, legge: sql).rows
                finito = true
            }
        }
        indice += 1
        if indice >= righe.count {
            guard !finito, let c = cursore else { return false }
            // A cursor sees the snapshot it was declared in: later writes cannot change what it returns.
            righe = try connessione.interroga("FETCH \(Self.lotto) FROM \(c.nome)", legge: "").rows
            indice = 0
            if righe.count < Self.lotto {
                finito = true
                chiudiCursore()
            }
            guard !righe.isEmpty else { return false }
        }
        carica(righe[indice])
        return true
    }

    /// Copies a row's cells into `memoria`, in one pass over the row (growing the buffer keeps what is copied).
    private func carica(_ riga: PostgresRow) {
        celle.removeAll(keepingCapacity: true)
        var inizio = 0
        for cella in riga {
            guard let b = cella.bytes else {
                celle.append((inizio, -1, cella.dataType))
                continue
            }
            let n = b.readableBytes
            if inizio + n > memoria.count {
                let nuova = UnsafeMutableRawBufferPointer.allocate(byteCount: max(inizio + n, memoria.count * 2), alignment: 8)
                if inizio > 0 { nuova.baseAddress!.copyMemory(from: memoria.baseAddress!, byteCount: inizio) }
                memoria.deallocate()
                memoria = nuova
            }
            b.withUnsafeReadableBytes { memoria.baseAddress!.advanced(by: inizio).copyMemory(from: $0.baseAddress!, byteCount: n) }
            celle.append((inizio, n, cella.dataType))
            inizio += n
        }
    }

    var numeroColonne: Int { celle.count }

    func nullo(_ c: Int) -> Bool { celle[c].lunghezza < 0 }

    func grezzo(_ c: Int) -> UnsafeBufferPointer<UInt8> {
        let cella = celle[c]
        guard cella.lunghezza > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: memoria.baseAddress!.advanced(by: cella.inizio).assumingMemoryBound(to: UInt8.self), count: cella.lunghezza)
    }

    func byte(_ c: Int) -> [UInt8] { Array(grezzo(c)) }

    func testo(_ c: Int) -> String {
        switch celle[c].tipo {
        case .int8, .int4, .int2, .numeric, .bool: String(intero(c))
        default: String(decoding: grezzo(c), as: UTF8.self)
        }
    }

    /// Integers in binary form (int2/4/8, bool), numeric (what `sum` of bigint gives) or text.
    func intero(_ c: Int) -> Int64 {
        let b = grezzo(c)
        func grandeEndian(_ n: Int) -> Int64 {
            var v: UInt64 = 0
            for k in 0..<n { v = v << 8 | UInt64(b[k]) }
            // Sign-extend the shorter integers.
            let spostamento = UInt64(64 - 8 * n)
            return Int64(bitPattern: v << spostamento) >> Int64(spostamento)
        }
        switch celle[c].tipo {
        case .int8 where b.count == 8: return grandeEndian(8)
        case .int4 where b.count == 4: return grandeEndian(4)
        case .int2 where b.count == 2: return grandeEndian(2)
        case .bool where b.count == 1: return Int64(b[0])
        case .numeric where b.count >= 8:
            // ndigits, weight, sign, dscale, then base-10000 digits (an integer: dscale 0).
            let cifre = Int(grandeEndian(2)), peso = Int(Int16(truncatingIfNeeded: (Int(b[2]) << 8) | Int(b[3])))
            let segno = (Int(b[4]) << 8) | Int(b[5])
            var v: Int64 = 0
            for k in 0..<cifre where 8 + 2 * k + 1 < b.count {
                let d = Int64((Int(b[8 + 2 * k]) << 8) | Int(b[8 + 2 * k + 1]))
                var termine = d
                let esponente = peso - k
                if esponente < 0 { continue }
                for _ in 0..<esponente { termine = termine &* 10_000 }
                v = v &+ termine
            }
            return segno == 0x4000 ? -v : v
        default:
            return Int64(String(decoding: b, as: UTF8.self)) ?? 0
        }
    }
}

/// Runs async work from a thread that is not one of Swift's cooperative threads (the CLI's, a store
/// thread of the server) and waits for it.
func bloccante<T: Sendable>(_ lavoro: @escaping @Sendable () async throws -> T) throws -> T {
    let esito = EsitoAtteso<T>(), fatto = DispatchSemaphore(value: 0)
    Task {
        do { esito.valore = .success(try await lavoro()) } catch { esito.valore = .failure(error) }
        fatto.signal()
    }
    fatto.wait()
    return try esito.valore!.get()
}

/// What `bloccante` waits for; written by the task before it signals, read after the wait.
final class EsitoAtteso<T>: @unchecked Sendable { var valore: Result<T, any Error>? }
