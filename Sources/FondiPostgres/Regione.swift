import Fondi
import FondiStore

/// The Region's view (ADR 0021): the prospetto of every Ambito the connecting role may read, side by side.
/// What a role may read is the database's business: `fondi init` grants each new Ambito's tables for reading
/// to the regional role (`fondi_regione`, or `&regione=ROLE`), and to nobody else; an Ambito's application
/// role sees only its own schema. The regional server's own ledger (its users and sessions) is left out.
extension Registri {
    /// The codes of the Ambiti whose ledgers the role of `db` may read, other than `db`'s own, in order.
    public static func ambitiLeggibili(_ db: String) throws -> [String] {
        let indirizzo = try IndirizzoPostgres.perAprire(db)
        let c = try ConnessionePostgres(indirizzo)
        let schemi = try c.istruzione("""
            SELECT nspname FROM pg_namespace
            WHERE nspname LIKE 'ambito\\_%' AND nspname <> ? AND has_schema_privilege(nspname, 'USAGE')
            ORDER BY nspname
            """).righe([.testo(indirizzo.schema)]) { s in s.testo(0) }
        return try leggibili(c, schemi).map(\.codice)
    }

    /// The readable ledgers among `schemi`: each with the code to show (its `meta`, if it is a valid code) and
    /// the code its schema is named by, which is what is opened (a ledger's own `meta` cannot redirect the
    /// Region to another schema).
    static func leggibili(_ c: ConnessionePostgres, _ schemi: [String]) throws -> [(codice: String, schema: String)] {
        func valido(_ t: String) -> Bool {
            !t.isEmpty && t.count <= 40 && t.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
        }
        var out: [(codice: String, schema: String)] = []
        for schema in schemi where valido(String(schema.dropFirst("ambito_".count))) {
            // Readable as a ledger: its meta, its events and its projections.
            let leggibile = try c.istruzione("SELECT has_table_privilege(?, 'SELECT') AND has_table_privilege(?, 'SELECT')")
                .righe([.testo("\"\(schema)\".meta"), .testo("\"\(schema)\".fonte")]) { s in s.intero(0) }.first ?? 0
            guard leggibile == 1 else { continue }
            let suffisso = String(schema.dropFirst("ambito_".count))
            let codice = try c.istruzione("SELECT valore FROM \"\(schema)\".meta WHERE chiave = 'ambito'").righe { s in s.testo(0) }.first
            out.append((codice.flatMap { valido($0) && $0.lowercased() == suffisso ? $0 : nil } ?? suffisso.uppercased(), suffisso))
        }
        return out
    }

    /// The regional prospetto: `ambiti`, one row of totals per Ambito (the `totale` row of its own prospetto),
    /// then `fonti`, every Ambito's per-fonte rows, each headed by its Ambito. Each Ambito is read in its own
    /// snapshot, at its head.
    public static func prospettoRegionale(_ db: String) throws -> [Tabella] {
        let indirizzo = try IndirizzoPostgres.perAprire(db)
        let c = try ConnessionePostgres(indirizzo)
        let schemi = try c.istruzione("""
            SELECT nspname FROM pg_namespace
            WHERE nspname LIKE 'ambito\\_%' AND nspname <> ? AND has_schema_privilege(nspname, 'USAGE')
            ORDER BY nspname
            """).righe([.testo(indirizzo.schema)]) { s in s.testo(0) }
        var ambiti: Tabella?, fonti: Tabella?
        for (codice, suffisso) in try leggibili(c, schemi) {
            var altro = indirizzo
            altro.ambito = suffisso
            let registro: Registro
            do {
                registro = try Registro.apri(postgres: altro, modo: .lettura)
            } catch Registro.ErroreApertura.schemaPrecedente {
                // An Ambito whose owner has not yet run `fondi init` with this release: listed, its figures empty,
                // rather than failing the whole regional view or leaving it out unseen.
                let vuoto = Stato().prospetto(filtri: Filtri())
                if ambiti == nil { ambiti = Tabella(nome: "ambiti", colonne: ["ambito"] + vuoto[1].colonne, righe: []) }
                ambiti!.righe.append([.testo(codice)] + Array(repeating: .nullo, count: vuoto[1].colonne.count))
                continue
            }
            let tabelle = try registro.statoPerRapporti(impegniDaPagare: true).prospetto(filtri: Filtri())
            guard let perFonte = tabelle.first(where: { $0.nome == "fonti" }), let totale = tabelle.first(where: { $0.nome == "totale" }) else { continue }
            if ambiti == nil { ambiti = Tabella(nome: "ambiti", colonne: ["ambito"] + totale.colonne, righe: []) }
            if fonti == nil { fonti = Tabella(nome: "fonti", colonne: ["ambito"] + perFonte.colonne, righe: []) }
            ambiti!.righe += totale.righe.map { [.testo(codice)] + $0 }
            fonti!.righe += perFonte.righe.map { [.testo(codice)] + $0 }
        }
        let vuoto = Stato().prospetto(filtri: Filtri())
        return [ambiti ?? Tabella(nome: "ambiti", colonne: ["ambito"] + vuoto[1].colonne, righe: []),
                fonti ?? Tabella(nome: "fonti", colonne: ["ambito"] + vuoto[0].colonne, righe: [])]
    }
}
