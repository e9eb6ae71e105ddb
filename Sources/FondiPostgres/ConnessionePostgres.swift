import Dispatch
import Fondi
import Foundation
import FondiStore
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to an Ambito's ledger on PostgreSQL, behind the same `Connessione` as SQLite (ADR 0020).
///
/// Synchronous, like the SQLite engine: `Registro` runs on the caller's thread (the CLI's, or one of the
/// server's store threads), and each call waits for postgres-nio on its event loop. What PostgreSQL does
/// better is used where it matters:
/// - **Batched writes.** postgres-nio runs one statement at a time on a connection, a round trip each. So
///   inside a transaction the statements that return no rows are held back (`LottoScritture`) and sent
///   together as one anonymous block (`DO`), with their values as literals: before the next read, at the
///   commit, or when the batch is large. Plain INSERTs into a table become one multi-row INSERT when nothing
///   else in the batch changes that table after them (foreign keys to events are checked at commit). A
///   command's writes cost one round trip, a bulk import's thousands of rows a few. A failure fails the
///   block and the transaction with it.
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
            try esegui("SET lock_timeout = '\(Self.attesaBlocco)'")
            try esegui("SET standard_conforming_strings = on")
            try esegui("SET search_path TO \"\(indirizzo.schema)\"")
        } catch {
            _ = try? connessione.close().wait()
            throw error
        }
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

    /// Sends a query and returns its answer to come.
    func invia(_ query: PostgresQuery) -> EventLoopFuture<PostgresQueryResult> {
        connessione.query(query, logger: Self.log)
    }

    /// Sends the writes held back, as one block, and waits for it.
    func attendi() throws(ErroreArchivio) {
        guard let blocco = lotto.blocco() else { return }
        lotto = LottoScritture()
        do {
            _ = try aspetta(invia(PostgresQuery(unsafeSQL: blocco)))
        } catch {
            throw errore(error)
        }
    }

    /// Runs `query` and waits for its rows (after the writes held back).
    /// `legge`: the SQL of a read, when known. The writes held back are sent first only if the read names one
    /// of the tables they change (a statement sees only the tables it names: no views, no functions that
    /// read); a bulk import's lookups of projections then cost one round trip each, not two.
    func interroga(_ query: PostgresQuery, legge: String? = nil) throws(ErroreArchivio) -> PostgresQueryResult {
        if let legge, !lotto.tocca(legge) {} else { try attendi() }
        do {
            return try aspetta(invia(query))
        } catch {
            throw errore(error)
        }
    }

    /// A statement that returns no rows (`sql` numbered `$N`): held back inside a transaction, run now outside.
    func scrivi(_ forma: FormaScrittura, _ sql: String, _ valori: [ValoreSQL], unaRiga: String? = nil) throws(ErroreArchivio) {
        // Text with a NUL byte cannot be a literal (the query text would end there): such a statement goes
        // alone, with bound parameters, and the server refuses it as it refuses NUL in any text.
        let conNul = valori.contains { if case let .testo(t) = $0 { t.utf8.contains(0) } else { false } }
        if conNul {
            try attendi()
            do { _ = try aspetta(invia(PostgresQuery(unsafeSQL: sql, binds: IstruzionePostgres.legami(valori)))) } catch { throw errore(error) }
            return
        }
        if inTransazione {
            if unaRiga == nil, let prefisso = forma.prefisso {
                lotto.aggiungiRiga(prefisso: prefisso, coda: forma.coda, tabella: forma.tabella, riga: "(" + valori.map(IstruzionePostgres.letterale).joined(separator: ", ") + ")")
            } else {
                lotto.aggiungi(IstruzionePostgres.conLetterali(sql, valori), tabella: forma.tabella, unaRiga: unaRiga)
            }
            if lotto.pieno { try attendi() }
        } else if let unaRiga {
            var l = LottoScritture()
            l.aggiungi(IstruzionePostgres.conLetterali(sql, valori), tabella: forma.tabella, unaRiga: unaRiga)
            do { _ = try aspetta(invia(PostgresQuery(unsafeSQL: l.blocco()!))) } catch { throw errore(error) }
        } else {
            do { _ = try aspetta(invia(PostgresQuery(unsafeSQL: sql, binds: IstruzionePostgres.legami(valori)))) } catch { throw errore(error) }
        }
    }

    package func esegui(_ sql: String) throws(ErroreArchivio) {
        _ = try interroga(PostgresQuery(unsafeSQL: sql))
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
        inTransazione = true
        transazione += 1
    }

    package func iniziaLettura() throws(ErroreArchivio) {
        try esegui("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        inTransazione = true
        transazione += 1
    }

    package func conferma() throws(ErroreArchivio) {
        do throws(ErroreArchivio) {
            try attendi()
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
        if !connessione.isClosed { _ = try? aspetta(invia("ROLLBACK")) }
        inTransazione = false
    }

    package func limitaDurata(secondi: Double) {
        // 0 (or less) lifts the limit, as PostgreSQL's statement_timeout = 0 does.
        let ms = secondi > 0 && secondi < 1e6 ? max(1, Int(secondi * 1000)) : 0
        _ = try? esegui("SET statement_timeout = \(ms)")
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
    private var valori: [ValoreSQL] = []
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
        valori = []
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
            _ = try? connessione.interroga(PostgresQuery(unsafeSQL: "CLOSE \(c.nome)"), legge: "")
        }
    }

    func lega(_ valori: [ValoreSQL]) {
        self.valori = valori
        legami = Self.legami(valori)
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: legami) }

    func esegui(_ valori: [ValoreSQL]) throws(ErroreArchivio) {
        try connessione.scrivi(forma, sql, valori)
    }

    func eseguiUnaRiga(_ valori: [ValoreSQL], descrizione: String) throws(ErroreArchivio) {
        try connessione.scrivi(forma, sql, valori, unaRiga: descrizione)
    }

    /// Text as an SQL string literal: every quote byte doubled, byte by byte. Never by `Character`: a quote
    /// after a combining or prepended mark is one `Character` with it and would pass a character-wise
    /// replacement unescaped. With `standard_conforming_strings` on (set on every connection), the quote is
    /// the only byte that ends a literal; a backslash is just a backslash.
    static func citato(_ t: String) -> String {
        var out: [UInt8] = [0x27]
        out.reserveCapacity(t.utf8.count + 2)
        for b in t.utf8 {
            out.append(b)
            if b == 0x27 { out.append(0x27) }
        }
        out.append(0x27)
        return String(decoding: out, as: UTF8.self)
    }

    /// A value as an SQL literal (text quoted with '' doubled; `standard_conforming_strings` is on).
    static func letterale(_ v: ValoreSQL) -> String {
        switch v {
        case .nullo: "NULL"
        case let .intero(n): "(\(n))::bigint"
        case let .testo(t): citato(t)
        case let .blob(b): "'\\x" + Catena.esadecimale(b) + "'::bytea"
        }
    }

    static func legami(_ valori: [ValoreSQL]) -> PostgresBindings {
        var legami = PostgresBindings(capacity: valori.count)
        for v in valori {
            switch v {
            case .nullo: legami.appendNull()
            case let .intero(n): legami.append(n)
            case let .testo(s): legami.append(s)
            case let .blob(b): legami.append(ByteBuffer(bytes: b))
            }
        }
        return legami
    }

    func righe<T>(_ valori: [ValoreSQL], mappa: (any Istruzione) throws(ErroreArchivio) -> T) throws(ErroreArchivio) -> [T] {
        lega(valori)
        righe = try connessione.interroga(query, legge: sql).rows
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
                _ = try connessione.interroga(PostgresQuery(unsafeSQL: "DECLARE \(nome) NO SCROLL CURSOR FOR " + Self.conLetterali(sql, valori)), legge: sql)
                cursore = (nome, connessione.transazione)
            } else {
                righe = try connessione.interroga(query, legge: sql).rows
                finito = true
            }
        }
        indice += 1
        if indice >= righe.count {
            guard !finito, let c = cursore else { return false }
            // A cursor sees the snapshot it was declared in: later writes cannot change what it returns.
            righe = try connessione.interroga(PostgresQuery(unsafeSQL: "FETCH \(Self.lotto) FROM \(c.nome)"), legge: "").rows
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

    /// `sql` with its `$N` replaced by the values as SQL literals (for DECLARE, which takes no parameters).
    static func conLetterali(_ sql: String, _ valori: [ValoreSQL]) -> String {
        var out = "", inTesto = false
        let s = Array(sql.unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "'" { inTesto.toggle() }
            if c == "$", !inTesto {
                var j = i + 1, n = 0
                while j < s.count, let d = Int(String(s[j])), ("0"..."9").contains(s[j]) { n = n * 10 + d; j += 1 }
                if j > i + 1, n >= 1, n <= valori.count {
                    out += letterale(valori[n - 1])
                    i = j
                    continue
                }
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        return out
    }

    private func carica(_ riga: PostgresRow) {
        var totale = 0
        for cella in riga { totale += cella.bytes?.readableBytes ?? 0 }
        if totale > memoria.count {
            memoria.deallocate()
            memoria = .allocate(byteCount: max(totale, memoria.count * 2), alignment: 8)
        }
        celle.removeAll(keepingCapacity: true)
        var inizio = 0
        for cella in riga {
            guard let b = cella.bytes else {
                celle.append((inizio, -1, cella.dataType))
                continue
            }
            let n = b.readableBytes
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

/// The writes of a transaction not yet sent, as the statements of one `DO` block. Values are literals (text
/// quoted with '' doubled: `standard_conforming_strings` is on, set at connection). A plain INSERT joins an
/// earlier INSERT of the same columns as one more row of it when no other statement of the batch has changed
/// that table since: its rows then land earlier than written, which only statements of other tables can
/// notice, and the only link between tables that could (a row pointing at an event) is checked at commit.
struct LottoScritture {
    enum Voce {
        /// The rows are in `righe[indice]`, appended in place (an enum payload would be copied on each append).
        case righe(prefisso: String, indice: Int, coda: String)
        case istruzione(String)
    }
    private var voci: [Voce] = []
    private var righe: [[String]] = []
    private var formaPerTabella: [String: String] = [:]
    /// Per INSERT prefix (`INSERT INTO t (…) VALUES `): the entry its rows go to.
    private var gruppi: [String: Int] = [:]
    /// Per table: the entry of the last statement other than a plain INSERT that changed it.
    private var ultimaModifica: [String: Int] = [:]
    private var byte = 0
    /// The tables the batch changes.
    private var tabelle: Set<String> = []

    /// Whether a read's SQL names a table this batch changes (by its name anywhere in the text: a longer name
    /// that contains it, or a literal, only makes the read wait, which is safe).
    func tocca(_ sql: String) -> Bool { tabelle.contains { $0.isEmpty || sql.contains($0) } }

    /// Large enough to be worth a round trip, small enough to keep a block's memory bounded.
    var pieno: Bool { byte > 4 << 20 }

    /// One more row of a plain INSERT (`prefisso` up to `VALUES `, `coda` empty or ` ON CONFLICT DO NOTHING`):
    /// joins the earlier rows of the same INSERT unless another statement changed the table since. A row that
    /// meets another of the same statement under DO NOTHING is ignored, as it would have been one statement later.
    mutating func aggiungiRiga(prefisso: String, coda: String, tabella: String, riga: String) {
        byte += riga.utf8.count + 2
        tabelle.insert(tabella)
        let chiave = prefisso + coda
        // Another INSERT shape on this table since its last group: rows of the old shape may no longer move
        // ahead of it (the two could conflict on a key).
        if let forma = formaPerTabella[tabella], forma != chiave { ultimaModifica[tabella] = voci.count - 1 }
        formaPerTabella[tabella] = chiave
        if let g = gruppi[chiave], (ultimaModifica[tabella] ?? -1) < g, case let .righe(_, indice, _) = voci[g] {
            righe[indice].append(riga)
        } else {
            byte += chiave.utf8.count
            gruppi[chiave] = voci.count
            voci.append(.righe(prefisso: prefisso, indice: righe.count, coda: coda))
            righe.append([riga])
        }
    }

    /// Any other statement, as SQL with its literals.
    mutating func aggiungi(_ testo: String, tabella: String, unaRiga: String?) {
        byte += testo.utf8.count
        tabelle.insert(tabella)
        ultimaModifica[tabella] = voci.count
        if let unaRiga {
            let descrizione = IstruzionePostgres.citato(unaRiga)
            voci.append(.istruzione(testo + "; GET DIAGNOSTICS fondi_righe = ROW_COUNT; IF fondi_righe <> 1 THEN RAISE EXCEPTION '%: % righe aggiornate invece di una', "
                                    + descrizione + ", fondi_righe; END IF"))
        } else {
            voci.append(.istruzione(testo))
        }
    }

    /// The table a write names: after INSERT INTO, UPDATE or DELETE FROM.
    static func tabella(_ testo: String) -> String {
        let parole = testo.split(maxSplits: 4, omittingEmptySubsequences: true, whereSeparator: { $0.isWhitespace })
        let k = parole.first == "UPDATE" ? 1 : 2
        return parole.count > k ? String(parole[k].prefix { $0 != "(" }) : ""
    }

    /// Whether `testo` holds the bytes of `parte`.
    static func contiene(_ testo: String, _ parte: String) -> Bool {
        let a = Array(testo.utf8), b = Array(parte.utf8)
        guard !b.isEmpty, a.count >= b.count else { return false }
        var i = 0
        while i <= a.count - b.count {
            if a[i] == b[0], a[i..<(i + b.count)].elementsEqual(b) { return true }
            i += 1
        }
        return false
    }

    /// The block to send, or nil when nothing is held back.
    func blocco() -> String? {
        guard !voci.isEmpty else { return nil }
        var corpo = ""
        corpo.reserveCapacity(byte + voci.count * 8)
        for v in voci {
            switch v {
            case let .righe(prefisso, indice, coda): corpo += prefisso + righe[indice].joined(separator: ", ") + coda + ";\n"
            case let .istruzione(t): corpo += t + ";\n"
            }
        }
        // A dollar-quote tag that the statements do not contain.
        // A dollar-quote tag that the statements do not contain, compared byte by byte (as PostgreSQL reads it).
        var tag = "$fondi$"
        var k = 0
        while Self.contiene(corpo, tag) { k += 1; tag = "$fondi\(k)$" }
        return "DO " + tag + " DECLARE fondi_righe bigint; BEGIN\n" + corpo + "END " + tag
    }
}

/// The shape of a write statement (numbered `$N`), worked out once: the table it changes, and for a plain
/// INSERT whose values are exactly `($1, $2, …)` in order (optionally `ON CONFLICT DO NOTHING`) the text before
/// the row, so that a batch only builds each row's literals.
struct FormaScrittura {
    let tabella: String
    let prefisso: String?
    let coda: String

    init(_ sql: String) {
        tabella = LottoScritture.tabella(sql)
        var corpo = sql, coda = ""
        if corpo.hasSuffix(" ON CONFLICT DO NOTHING") {
            corpo.removeLast(" ON CONFLICT DO NOTHING".count)
            coda = " ON CONFLICT DO NOTHING"
        }
        self.coda = coda
        guard corpo.hasPrefix("INSERT INTO "), !corpo.contains("ON CONFLICT"), !corpo.contains("RETURNING"),
              let v = corpo.range(of: "VALUES ("), corpo[..<v.lowerBound].last(where: { !$0.isWhitespace }) == ")" else {
            prefisso = nil
            return
        }
        let valori = corpo[v.upperBound...]
        let attesi = valori.split(separator: ",").count
        let atteso = (1...max(attesi, 1)).map { "$\($0)" }.joined(separator: ", ") + ")"
        prefisso = valori.filter { !$0.isWhitespace } == atteso.filter { !$0.isWhitespace } ? String(corpo[..<v.lowerBound]) + "VALUES " : nil
    }
}
