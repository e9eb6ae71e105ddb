import Dispatch
import Fondi
import FondiStore
import Synchronization

/// The Region's view (ADR 0021): the prospetto of every Ambito the connecting role may read, side by side.
/// What a role may read is the database's business: `fondi init` grants each new Ambito's tables for reading
/// to the regional role (`fondi_regione`, or `&regione=ROLE`), and to nobody else; an Ambito's application
/// role sees only its own schema. The regional server's own ledger (its users and sessions) is left out.
extension Registri {
    /// The codes of the Ambiti whose ledgers the role of `db` may read, other than `db`'s own, in order.
    public static func ambitiLeggibili(_ db: String) throws -> [String] {
        let indirizzo = try IndirizzoPostgres.perAprire(db)
        let c = try ConnessionePostgres(indirizzo)
        return try leggibili(c, oltre: indirizzo.schema).map(\.codice)
    }

    /// The readable ledgers other than `proprio` (the regional server's own schema): each with the code to show
    /// (its `meta`, if it is a valid code), the code its schema is named by, which is what is opened (a ledger's own `meta` cannot redirect the Region to
    /// another schema), and its head (seq and hash). Three round trips whatever the number of Ambiti: the schemas,
    /// the privileges of every schema in one statement, then the code and head of every readable one in another
    /// (their names are identifiers of letters, digits and _, checked here; every value is bound).
    static func leggibili(_ c: ConnessionePostgres, oltre proprio: String) throws -> [AmbitoLeggibile] {
        let schemi = try c.istruzione("""
            SELECT nspname FROM pg_namespace
            WHERE starts_with(nspname, 'ambito_') AND nspname <> ? AND has_schema_privilege(nspname, 'USAGE')
            ORDER BY nspname
            """).righe([.testo(proprio)]) { s in s.testo(0) }
        func valido(_ t: String) -> Bool {
            !t.isEmpty && t.count <= 40 && t.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
        }
        // Only schemas named as `fondi init` names them (`ambito_` and a code in lower case), so the schema read is
        // the one opened.
        let candidati = schemi.filter { s in
            let suffisso = String(s.dropFirst("ambito_".count))
            return s.hasPrefix("ambito_") && valido(suffisso) && s == "ambito_" + suffisso.lowercased()
        }
        guard !candidati.isEmpty else { return [] }
        let privilegi = [String](repeating: "has_table_privilege(?, 'SELECT') AND has_table_privilege(?, 'SELECT') AND has_table_privilege(?, 'SELECT')", count: candidati.count)
        let valori = candidati.flatMap { [ValoreSQL.testo("\"\($0)\".meta"), .testo("\"\($0)\".fonte"), .testo("\"\($0)\".evento")] }
        let leggibili = try c.istruzione("SELECT " + privilegi.joined(separator: ", ")).righe(valori) { s in
            (0..<candidati.count).map { s.intero($0) == 1 }
        }.first ?? []
        let schemiLetti = candidati.indices.filter { $0 < leggibili.count && leggibili[$0] }.map { candidati[$0] }
        guard !schemiLetti.isEmpty else { return [] }
        let colonne = schemiLetti.map { s in
            "(SELECT valore FROM \"\(s)\".meta WHERE chiave = 'ambito'), (SELECT seq FROM \"\(s)\".evento ORDER BY seq DESC LIMIT 1), "
                + "(SELECT hash FROM \"\(s)\".evento ORDER BY seq DESC LIMIT 1)"
        }
        let teste: [(codice: String?, seq: Int64, hash: [UInt8])] = try c.istruzione("SELECT " + colonne.joined(separator: ", ")).righe { s in
            var out: [(codice: String?, seq: Int64, hash: [UInt8])] = []
            for k in 0..<schemiLetti.count {
                let seq: Int64 = s.nullo(3 * k + 1) ? 0 : s.intero(3 * k + 1)
                out.append((s.testoOpzionale(3 * k), seq, s.byte(3 * k + 2)))
            }
            return out
        }.first ?? []
        return schemiLetti.enumerated().map { k, schema in
            let suffisso = String(schema.dropFirst("ambito_".count))
            let codice = teste[k].codice.flatMap { valido($0) && $0.lowercased() == suffisso ? $0 : nil } ?? suffisso.uppercased()
            return AmbitoLeggibile(codice: codice, schema: suffisso, seq: teste[k].seq, hash: teste[k].hash)
        }
    }

    /// Each Ambito's rows of the regional prospetto, kept by its head: an Ambito whose head has not moved is not
    /// read again (its ledger is append-only, so the same head is the same prospetto).
    static let prospettiPerTesta = Mutex<[String: (seq: Int64, hash: [UInt8], totale: Tabella, fonti: Tabella)]>([:])

    /// The regional prospetto: `ambiti`, one row of totals per Ambito (the `totale` row of its own prospetto),
    /// then `fonti`, every Ambito's per-fonte rows, each headed by its Ambito. Each Ambito is read in its own
    /// snapshot, at its head.
    public static func prospettoRegionale(_ db: String) throws -> [Tabella] {
        let indirizzo = try IndirizzoPostgres.perAprire(db)
        let c = try ConnessionePostgres(indirizzo)
        var ambiti: Tabella?, fonti: Tabella?
        let elenco = try leggibili(c, oltre: indirizzo.schema)
        for (ambito, letto) in zip(elenco, try prospetti(elenco, indirizzo: indirizzo, su: c)) {
            guard let (totale, perFonte) = letto else {
                // An Ambito whose owner has not yet run `fondi init` with this release: listed, its figures empty,
                // rather than failing the whole regional view or leaving it out unseen.
                let vuoto = Stato().prospetto(filtri: Filtri())
                if ambiti == nil { ambiti = Tabella(nome: "ambiti", colonne: ["ambito"] + vuoto[1].colonne, righe: []) }
                ambiti!.righe.append([.testo(ambito.codice)] + Array(repeating: .nullo, count: vuoto[1].colonne.count))
                continue
            }
            if ambiti == nil { ambiti = Tabella(nome: "ambiti", colonne: ["ambito"] + totale.colonne, righe: []) }
            if fonti == nil { fonti = Tabella(nome: "fonti", colonne: ["ambito"] + perFonte.colonne, righe: []) }
            ambiti!.righe += totale.righe.map { [.testo(ambito.codice)] + $0 }
            fonti!.righe += perFonte.righe.map { [.testo(ambito.codice)] + $0 }
        }
        let vuoto = Stato().prospetto(filtri: Filtri())
        return [ambiti ?? Tabella(nome: "ambiti", colonne: ["ambito"] + vuoto[1].colonne, righe: []),
                fonti ?? Tabella(nome: "fonti", colonne: ["ambito"] + vuoto[0].colonne, righe: [])]
    }
}

extension Registri {
    /// Connections a cold regional view reads Ambiti on at once: while one waits for the server, the other
    /// decodes (measured on 2 cores: one connection leaves a core idle).
    static let connessioniRegionali = 2

    /// Each Ambito's prospetto tables, in `elenco`'s order: from the cache, or read on `c` and on further
    /// connections at once when more than one Ambito must be read. The first error stops the view.
    static func prospetti(_ elenco: [AmbitoLeggibile], indirizzo: IndirizzoPostgres,
                          su c: ConnessionePostgres) throws -> [(totale: Tabella, fonti: Tabella)?] {
        let daLeggere = elenco.filter { a in prospettiPerTesta.withLock { $0[a.schema] }.map { $0.seq != a.seq || $0.hash != a.hash } ?? true }
        guard daLeggere.count > 1 else { return try elenco.map { try prospettoDi($0, indirizzo: indirizzo, su: c) } }
        let connessioni = [c] + (try (1..<min(connessioniRegionali, daLeggere.count)).map { _ in try ConnessionePostgres(indirizzo) })
        let errore = Mutex<(any Error)?>(nil)
        let n = connessioni.count
        DispatchQueue.concurrentPerform(iterations: n) { k in
            for j in stride(from: k, to: daLeggere.count, by: n) where errore.withLock({ $0 == nil }) {
                do { _ = try prospettoDi(daLeggere[j], indirizzo: indirizzo, su: connessioni[k]) } catch { errore.withLock { $0 = error } }
            }
        }
        if let e = errore.withLock({ $0 }) { throw e }
        // Every Ambito read is now in the cache under the head listed: this pass only takes them from there.
        return try elenco.map { try prospettoDi($0, indirizzo: indirizzo, su: c) }
    }
}

/// An Ambito the regional role may read: the code shown, its schema's suffix, and its head.
struct AmbitoLeggibile {
    let codice: String
    let schema: String
    let seq: Int64
    let hash: [UInt8]
}

extension Registri {
    /// An Ambito's `totale` and `fonti` tables of its prospetto at its head: from the cache when the head has not
    /// moved, else read in its own snapshot. Nil for an Ambito whose schema is of an earlier version.
    /// Read on `c`, the regional view's connection, pointed at the Ambito's schema for the read.
    static func prospettoDi(_ ambito: AmbitoLeggibile, indirizzo: IndirizzoPostgres,
                            su c: ConnessionePostgres) throws -> (totale: Tabella, fonti: Tabella)? {
        if let k = prospettiPerTesta.withLock({ $0[ambito.schema] }), k.seq == ambito.seq, k.hash == ambito.hash {
            return (k.totale, k.fonti)
        }
        var altro = indirizzo
        altro.ambito = ambito.schema
        let registro: Registro
        do {
            try c.usaSchema(altro.schema)
            registro = try Registro.apri(postgres: altro, su: c, modo: .lettura, orologio: Orologio.adesso)
        } catch Registro.ErroreApertura.schemaPrecedente {
            return nil
        }
        // Kept under the head read before this state: if a write lands in between, the next request sees another
        // head and reads again (a newer state under an older head is never kept as current).
        let tabelle = try registro.statoPerRapporti(impegniDaPagare: true).prospetto(filtri: Filtri())
        guard let perFonte = tabelle.first(where: { $0.nome == "fonti" }), let totale = tabelle.first(where: { $0.nome == "totale" }) else { return nil }
        prospettiPerTesta.withLock {
            $0[ambito.schema] = (ambito.seq, ambito.hash, totale, perFonte)
        }
        return (totale, perFonte)
    }
}
