import Fondi

/// A search among impegni for the lists of `fondi serve` (issue 10): filtered by linea and by text (number,
/// creditore, oggetto, CIG, CUP), sorted, one page at a time, answered by SQLite from the projection table.
public struct RicercaImpegni: Sendable, Equatable {
    public enum Ordine: String, Sendable, CaseIterable { case numero, creditore, impegnato, daPagare = "da_pagare", esercizio }

    public var fonte: String?
    public var servizio: String?
    public var esercizio: Int?
    public var testo: String?
    /// Only impegni with something still to pay.
    public var soloDaPagare = false
    public var ordine: Ordine = .numero
    public var discendente = false
    public var pagina = 1
    public static let perPagina = 50

    public init(fonte: String? = nil, servizio: String? = nil, esercizio: Int? = nil, testo: String? = nil) {
        self.fonte = fonte
        self.servizio = servizio
        self.esercizio = esercizio
        self.testo = testo
    }
}

extension Registro {
    /// One page of impegni and how many match in all.
    public func cerca(_ r: RicercaImpegni) throws -> (impegni: [Impegno], totale: Int) {
        try inLettura {
            var condizioni: [String] = [], valori: [ValoreSQL] = []
            if let f = r.fonte { condizioni.append("fonte = ?"); valori.append(.testo(f)) }
            if let s = r.servizio { condizioni.append("servizio = ?"); valori.append(.testo(s)) }
            if let e = r.esercizio { condizioni.append("esercizio = ?"); valori.append(.intero(Int64(e))) }
            if r.soloDaPagare { condizioni.append("da_pagare_centesimi > 0") }
            if let t = r.testo, !t.isEmpty {
                // LIKE with its wildcards escaped: the text is searched for as typed.
                let modello = "%" + t.replacingAll("\\", with: "\\\\").replacingAll("%", with: "\\%").replacingAll("_", with: "\\_") + "%"
                // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does the same (ADR 0020).
                let like = connessione.motore == .postgres ? "ILIKE" : "LIKE"
                let colonne = ["numero", "creditore", "oggetto", "cig", "cup"].map { "\($0) \(like) ? ESCAPE '\\'" }
                condizioni.append("(" + colonne.joined(separator: " OR ") + ")")
                valori += Array(repeating: .testo(modello), count: 5)
            }
            let dove = condizioni.isEmpty ? "" : "WHERE " + condizioni.joined(separator: " AND ")
            let verso = r.discendente ? "DESC" : "ASC"
            let ordine: String = switch r.ordine {
            case .numero: "esercizio \(verso), length(numero) \(verso), numero \(verso)"
            case .creditore: "creditore \(verso), numero"
            case .impegnato: "(assunto_centesimi - ridotto_centesimi - eliminato_centesimi - reimputato_centesimi) \(verso), numero"
            case .daPagare: "da_pagare_centesimi \(verso), numero"
            case .esercizio: "esercizio \(verso), numero"
            }
            let pagina = max(1, r.pagina)
            // One pass: the page and, through a window, how many match in all (a text search scans the table).
            let sql = "SELECT \(Self.colonneImpegno), count(*) OVER () FROM impegno \(dove) ORDER BY \(ordine) LIMIT \(RicercaImpegni.perPagina) OFFSET \((pagina - 1) * RicercaImpegni.perPagina)"
            let righe = try connessione.istruzione(sql).righe(valori) { s throws(ErroreArchivio) in (try Self.impegno(s), s.intero(17)) }
            if let primo = righe.first { return (righe.map(\.0), Int(primo.1)) }
            // A page past the end: only the count.
            return ([], Int(try connessione.istruzione("SELECT count(*) FROM impegno \(dove)").righe(valori) { s in s.intero(0) }.first ?? 0))
        }
    }
}

