import Fondi

/// A search among impegni for the lists of `fondi serve` (issue 10): filtered by linea and by text (number,
/// creditore, oggetto, CIG, CUP), sorted, one page at a time. One definition of what matches, in which order
/// and on which page, executed two ways: by the engine on the projection table at the head of the ledger
/// (`Registro.cerca`), and over a past state's impegni in memory (`scegli`) for `?al=` / `?fino_a=`. A property
/// test checks that both give the same page for the same impegni.
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
    /// The page, 1 to `paginaMax` (kept in range by the setter's callers through `Lettura`; clamped here too).
    public var pagina = 1
    public static let perPagina = 50
    /// 50 million impegni: far beyond any ledger, and `(paginaMax - 1) * perPagina` cannot overflow.
    public static let paginaMax = 1_000_000

    public init(fonte: String? = nil, servizio: String? = nil, esercizio: Int? = nil, testo: String? = nil) {
        self.fonte = fonte
        self.servizio = servizio
        self.esercizio = esercizio
        self.testo = testo
    }

    /// The page actually served: `pagina` clamped to 1…`paginaMax`.
    public var paginaValida: Int { min(max(1, pagina), Self.paginaMax) }
    /// Rows before the page; bounded by `paginaMax × perPagina`, so never an overflow.
    var scarto: Int { (paginaValida - 1) * Self.perPagina }
}

// MARK: - In memory

extension RicercaImpegni {
    /// Whether `i` matches the filters, as the engine's WHERE clause decides (LIKE folds ASCII letters only).
    public func accetta(_ i: Impegno) -> Bool {
        if let fonte, fonte != i.linea.fonte { return false }
        if let servizio, servizio != i.linea.servizio { return false }
        if let esercizio, esercizio != i.linea.esercizio { return false }
        if soloDaPagare, i.daPagare <= 0 { return false }
        guard let testo, !testo.isEmpty else { return true }
        let cercato = Array(Self.minuscoleASCII(testo))
        return [i.numero, i.creditore, i.oggetto, i.cig ?? "", i.cup ?? ""].contains { Self.contiene(Array(Self.minuscoleASCII($0)), cercato) }
    }

    /// The ORDER BY of `Registro.cerca`, as a comparison: the chosen key in the chosen direction, then the
    /// number ascending (for `numero`: esercizio, length, text, all in the chosen direction). Text compares
    /// by UTF-8 bytes, as SQLite's BINARY collation does.
    public func precede(_ a: Impegno, _ b: Impegno) -> Bool {
        func verso<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : (discendente ? x > y : x < y) }
        func byte(_ s: String) -> [UInt8] { Array(s.utf8) }
        let numeroCrescente = byte(a.numero).lexicographicallyPrecedes(byte(b.numero))
        switch ordine {
        case .numero:
            if let r = verso(a.linea.esercizio, b.linea.esercizio) { return r }
            if let r = verso(a.numero.utf8.count, b.numero.utf8.count) { return r }
            return discendente ? byte(b.numero).lexicographicallyPrecedes(byte(a.numero)) : numeroCrescente
        case .creditore:
            if a.creditore != b.creditore {
                return discendente ? byte(b.creditore).lexicographicallyPrecedes(byte(a.creditore)) : byte(a.creditore).lexicographicallyPrecedes(byte(b.creditore))
            }
        case .impegnato: if let r = verso(a.impegnato, b.impegnato) { return r }
        case .daPagare: if let r = verso(a.daPagare, b.daPagare) { return r }
        case .esercizio: if let r = verso(a.linea.esercizio, b.linea.esercizio) { return r }
        }
        return numeroCrescente
    }

    /// The page of `impegni` that matches, and how many match in all.
    public func scegli(_ impegni: some Sequence<Impegno>) -> (impegni: [Impegno], totale: Int) {
        let ordinati = impegni.filter(accetta).sorted(by: precede)
        return (Array(ordinati.dropFirst(scarto).prefix(Self.perPagina)), ordinati.count)
    }

    static func minuscoleASCII(_ s: String) -> [UInt8] { s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }

    static func contiene(_ testo: [UInt8], _ cercato: [UInt8]) -> Bool {
        guard cercato.count <= testo.count else { return false }
        return (0...(testo.count - cercato.count)).contains { testo[$0..<($0 + cercato.count)].elementsEqual(cercato) }
    }
}

// MARK: - On the engine

extension Registro {
    /// One page of impegni and how many match in all. The page's bounds travel as bound values, so every page
    /// of the same search is one prepared statement.
    public func cerca(_ r: RicercaImpegni) throws -> (impegni: [Impegno], totale: Int) {
        try inLettura {
            var condizioni: [String] = [], valori: [ValoreSQL] = []
            if let f = r.fonte { condizioni.append("fonte = ?"); valori.append(.testo(f)) }
            if let s = r.servizio { condizioni.append("servizio = ?"); valori.append(.testo(s)) }
            if let e = r.esercizio { condizioni.append("esercizio = ?"); valori.append(.intero(Int64(e))) }
            if r.soloDaPagare { condizioni.append("da_pagare_centesimi > 0") }
            if let t = r.testo, !t.isEmpty {
                // LIKE with its wildcards escaped by `!`, not a backslash: a backslash in SQL text would depend on
                // PostgreSQL's standard_conforming_strings (ADR 0026). The text is searched for as typed.
                let modello = "%" + t.replacingAll("!", with: "!!").replacingAll("%", with: "!%").replacingAll("_", with: "!_") + "%"
                // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does the same (ADR 0020).
                let like = connessione.motore == .postgres ? "ILIKE" : "LIKE"
                let colonne = ["numero", "creditore", "oggetto", "cig", "cup"].map { "\($0) \(like) ? ESCAPE '!'" }
                condizioni.append("(" + colonne.joined(separator: " OR ") + ")")
                valori += Array(repeating: .testo(modello), count: 5)
            }
            let dove = condizioni.isEmpty ? "" : "WHERE " + condizioni.joined(separator: " AND ")
            // One pass: the page and, through a window, how many match in all (a text search scans the table).
            let colonne = Impegno.campi.map(\.nome).joined(separator: ", ")
            let sql = "SELECT \(colonne), count(*) OVER () FROM impegno \(dove) ORDER BY \(Self.ordine(r)) LIMIT ? OFFSET ?"
            let pagina = valori + [.intero(Int64(RicercaImpegni.perPagina)), .intero(Int64(r.scarto))]
            let righe = try connessione.istruzione(sql).righe(pagina) { s throws(ErroreArchivio) in (try Impegno.leggi(s), s.intero(Impegno.campi.count)) }
            if let primo = righe.first { return (righe.map(\.0), Int(primo.1)) }
            // A page past the end: only the count.
            return ([], Int(try connessione.istruzione("SELECT count(*) FROM impegno \(dove)").righe(valori) { s in s.intero(0) }.first ?? 0))
        }
    }

    /// The ORDER BY clause of a search: fixed words only (the order and direction are enums).
    static func ordine(_ r: RicercaImpegni) -> String {
        let verso = r.discendente ? "DESC" : "ASC"
        return switch r.ordine {
        case .numero: "esercizio \(verso), length(numero) \(verso), numero \(verso)"
        case .creditore: "creditore \(verso), numero"
        case .impegnato: "(assunto_centesimi - ridotto_centesimi - eliminato_centesimi - reimputato_centesimi) \(verso), numero"
        case .daPagare: "da_pagare_centesimi \(verso), numero"
        case .esercizio: "esercizio \(verso), numero"
        }
    }
}
