import FondiStore
import Foundation
import NIOCore
import PostgresNIO

/// The shape of a write statement (numbered `$N`), worked out once per statement: the table it changes and
/// whether its rows can travel together as arrays (ADR 0026).
struct FormaScrittura {
    enum Tipo: Equatable {
        /// A plain INSERT whose values are exactly `($1, …, $n)`: `prefisso` up to the column list, `coda`
        /// empty or ` ON CONFLICT DO NOTHING`. Rows join as `INSERT … SELECT … FROM unnest(arrays)`.
        case inserimento(prefisso: String, coda: String)
        /// `UPDATE t SET … WHERE …` with no FROM or RETURNING: rows join as `UPDATE … FROM unnest(arrays)`, but
        /// only rows that must each change exactly one row (the count is checked, so a repeated key is caught).
        case aggiornamento
        /// Anything else (an upsert, a DELETE): one row, one statement.
        case altra
    }

    let tabella: String
    let tipo: Tipo

    init(_ sql: String) {
        tabella = Self.tabella(sql)
        if sql.hasPrefix("UPDATE "), sql.contains(" WHERE "), !sql.contains(" FROM "), !sql.contains("RETURNING") {
            tipo = .aggiornamento
            return
        }
        var corpo = sql, coda = ""
        if corpo.hasSuffix(" ON CONFLICT DO NOTHING") {
            corpo.removeLast(" ON CONFLICT DO NOTHING".count)
            coda = " ON CONFLICT DO NOTHING"
        }
        guard corpo.hasPrefix("INSERT INTO "), !corpo.contains("ON CONFLICT"), !corpo.contains("RETURNING"),
              let v = corpo.range(of: "VALUES ("), corpo[..<v.lowerBound].last(where: { !$0.isWhitespace }) == ")" else {
            tipo = .altra
            return
        }
        let valori = corpo[v.upperBound...]
        let attesi = valori.split(separator: ",").count
        let atteso = (1...max(attesi, 1)).map { "$\($0)" }.joined(separator: ",") + ")"
        tipo = valori.filter { !$0.isWhitespace } == atteso ? .inserimento(prefisso: String(corpo[..<v.lowerBound]), coda: coda) : .altra
    }

    /// The table a write names: after INSERT INTO, UPDATE or DELETE FROM.
    static func tabella(_ testo: String) -> String {
        let parole = testo.split(maxSplits: 4, omittingEmptySubsequences: true, whereSeparator: { $0.isWhitespace })
        let k = parole.first == "UPDATE" ? 1 : 2
        return parole.count > k ? String(parole[k].prefix { $0 != "(" }) : ""
    }
}

/// The writes of a transaction not yet sent. Every value stays a value: rows of one statement are kept as
/// values and sent as bound arrays, never as SQL text (ADR 0026). A plain INSERT row joins the earlier rows of
/// the same statement when no other statement has changed that table since: its rows then land earlier than
/// written, which only statements of other tables can notice, and the only link between tables that could (a
/// row pointing at an event) is checked at commit.
struct LottoScritture {
    struct Gruppo {
        let sql: String
        let forma: FormaScrittura
        var righe: [[ValoreSQL]]
        /// Per row, what it writes back, when each row must change exactly one row.
        var controlli: [String]?
    }

    private(set) var gruppi: [Gruppo] = []
    /// Per statement: the group its next rows may join.
    private var unibile: [String: Int] = [:]
    /// Per table: the last group that changed it.
    private var ultimaModifica: [String: Int] = [:]
    private var byte = 0
    /// The tables the batch changes.
    private var tabelle: Set<String> = []

    var vuoto: Bool { gruppi.isEmpty }

    /// Whether a read's SQL names a table this batch changes (by its name anywhere in the text: a longer name
    /// that contains it only makes the read wait, which is safe).
    func tocca(_ sql: String) -> Bool { tabelle.contains { $0.isEmpty || sql.contains($0) } }

    /// Large enough to be worth a round trip, small enough to keep a batch's memory bounded.
    var pieno: Bool { byte > 4 << 20 }

    mutating func aggiungi(_ sql: String, _ forma: FormaScrittura, _ valori: [ValoreSQL], controllo: String?) {
        for v in valori {
            switch v {
            case .nullo, .intero: byte += 8
            case let .testo(t): byte += t.utf8.count + 4
            case let .blob(b): byte += b.count + 4
            }
        }
        tabelle.insert(forma.tabella)
        let siUnisce = switch forma.tipo {
        case .inserimento: controllo == nil
        case .aggiornamento: controllo != nil
        case .altra: false
        }
        if siUnisce, let g = unibile[sql], ultimaModifica[forma.tabella] == g {
            gruppi[g].righe.append(valori)
            if let controllo { gruppi[g].controlli?.append(controllo) }
            return
        }
        gruppi.append(Gruppo(sql: sql, forma: forma, righe: [valori], controlli: controllo.map { [$0] }))
        ultimaModifica[forma.tabella] = gruppi.count - 1
        if siUnisce { unibile[sql] = gruppi.count - 1 }
    }

    /// The statements to send, in order: groups of different tables travel together as one statement of
    /// data-modifying `WITH` clauses (one round trip); a table met again starts the next statement, so within
    /// one statement no row can be changed twice and none reads what another clause writes.
    func istruzioni() -> [InvioLotto] {
        var out: [InvioLotto] = [], correnti: [Gruppo] = [], tabelleCorrenti: Set<String> = []
        for g in gruppi.flatMap(\.inviabili) {
            if tabelleCorrenti.contains(g.forma.tabella) {
                out.append(InvioLotto(correnti))
                correnti = []
                tabelleCorrenti = []
            }
            correnti.append(g)
            tabelleCorrenti.insert(g.forma.tabella)
        }
        if !correnti.isEmpty { out.append(InvioLotto(correnti)) }
        return out
    }
}

extension LottoScritture.Gruppo {
    /// The group as it can be sent: itself, or one group per row when a column mixes kinds of value (no
    /// array type would hold it; never the case for the store's statements).
    var inviabili: [LottoScritture.Gruppo] {
        guard righe.count > 1, Self.tipiColonne(righe) == nil else { return [self] }
        return righe.indices.map { k in
            LottoScritture.Gruppo(sql: sql, forma: forma, righe: [righe[k]], controlli: controlli.map { [$0[k]] })
        }
    }

    /// Per column, the array type its values bind as, or nil for a column of NULLs only (written `NULL`); nil
    /// as a whole when a column mixes integers, text and bytes.
    static func tipiColonne(_ righe: [[ValoreSQL]]) -> [ArrayLegato.Tipo?]? {
        guard let prima = righe.first else { return [] }
        var tipi = [ArrayLegato.Tipo?](repeating: nil, count: prima.count)
        for riga in righe {
            guard riga.count == tipi.count else { return nil }
            for (c, v) in riga.enumerated() {
                let t: ArrayLegato.Tipo
                switch v {
                case .nullo: continue
                case .intero: t = .int8
                case .testo: t = .text
                case .blob: t = .bytea
                }
                if let gia = tipi[c], gia != t { return nil }
                tipi[c] = t
            }
        }
        return tipi
    }
}

/// One statement of a batch, ready to send: its SQL (no value in it), its bindings, and the rows each
/// checked clause must have changed (read from the statement's one result row, in order).
struct InvioLotto {
    private(set) var sql = ""
    private(set) var legami = PostgresBindings()
    /// For each checked clause: what it writes back (its first row's description), and how many rows it must change.
    private(set) var controlli: [(descrizione: String, attese: Int)] = []
    /// True when the statement is a single row's own SQL: the rows it changed are in the command tag.
    private(set) var semplice = false

    init(_ gruppi: [LottoScritture.Gruppo]) {
        if gruppi.count == 1, gruppi[0].righe.count == 1 {
            sql = gruppi[0].sql
            legami = Self.legami(gruppi[0].righe[0])
            semplice = true
            if let d = gruppi[0].controlli?.first { controlli = [(d, 1)] }
            return
        }
        var clausole: [String] = []
        for (i, g) in gruppi.enumerated() {
            var testo = g.righe.count == 1 ? riga(g) : insieme(g)
            if let d = g.controlli {
                testo += " RETURNING 1"
                controlli.append((d.count == 1 ? d[0] : "\(d[0]) e altre \(d.count - 1) righe di \(g.forma.tabella)", d.count))
            }
            clausole.append("fondi_\(i) AS (\(testo))")
        }
        let conteggi = controlli.isEmpty ? "0" : gruppi.indices.filter { gruppi[$0].controlli != nil }
            .map { "(SELECT count(*) FROM fondi_\($0))" }.joined(separator: ", ")
        sql = "WITH " + clausole.joined(separator: ",\n") + "\nSELECT " + conteggi
    }

    static func legami(_ valori: [ValoreSQL]) -> PostgresBindings {
        var legami = PostgresBindings(capacity: valori.count)
        lega(valori, a: &legami)
        return legami
    }

    /// Appends `valori` to `legami`, one parameter each.
    static func lega(_ valori: [ValoreSQL], a legami: inout PostgresBindings) {
        for v in valori {
            switch v {
            case .nullo: legami.appendNull()
            case let .intero(n): legami.append(n)
            case let .testo(s): legami.append(s)
            case let .blob(b): legami.append(ByteBuffer(bytes: b))
            }
        }
    }

    /// One row: the statement's own SQL, its parameters renumbered after those already bound.
    private mutating func riga(_ g: LottoScritture.Gruppo) -> String {
        let base = legami.count
        Self.lega(g.righe[0], a: &legami)
        return ParametriSQL.sostituisci(g.sql) { k in "$\(base + k)" }
    }

    /// Many rows: each column one bound array, unnested into rows (`fondi_v.pK` for `$K`).
    private mutating func insieme(_ g: LottoScritture.Gruppo) -> String {
        let tipi = LottoScritture.Gruppo.tipiColonne(g.righe) ?? []
        var argomenti: [String] = [], nomi: [String] = []
        for (c, tipo) in tipi.enumerated() {
            guard let tipo else { continue }
            legami.append(ArrayLegato(tipo: tipo, colonna: c, righe: g.righe))
            argomenti.append("$\(legami.count)::\(tipo.nome)[]")
            nomi.append("p\(c + 1)")
        }
        let origine = "unnest(" + argomenti.joined(separator: ", ") + ") AS fondi_v(" + nomi.joined(separator: ", ") + ")"
        func colonna(_ k: Int) -> String { k >= 1 && k <= tipi.count && tipi[k - 1] != nil ? "fondi_v.p\(k)" : "NULL" }
        switch g.forma.tipo {
        case let .inserimento(prefisso, coda):
            return prefisso + "SELECT " + (1...tipi.count).map(colonna).joined(separator: ", ") + " FROM " + origine + coda
        case .aggiornamento, .altra:
            let testo = ParametriSQL.sostituisci(g.sql, colonna)
            let dove = testo.range(of: " WHERE ")!
            return String(testo[..<dove.lowerBound]) + " FROM " + origine + String(testo[dove.lowerBound...])
        }
    }
}

/// A column of a batch as one PostgreSQL array in binary form (bigint[], text[] or bytea[], NULLs kept).
struct ArrayLegato: PostgresDynamicTypeEncodable {
    enum Tipo {
        case int8, text, bytea
        var nome: String { switch self { case .int8: "bigint"; case .text: "text"; case .bytea: "bytea" } }
        var elemento: PostgresDataType { switch self { case .int8: .int8; case .text: .text; case .bytea: .bytea } }
        var array: PostgresDataType { switch self { case .int8: .int8Array; case .text: .textArray; case .bytea: .byteaArray } }
    }

    let tipo: Tipo
    let dati: ByteBuffer
    var psqlType: PostgresDataType { tipo.array }
    var psqlFormat: PostgresFormat { .binary }

    init(tipo: Tipo, colonna c: Int, righe: [[ValoreSQL]]) {
        self.tipo = tipo
        var b = ByteBuffer()
        let nulli = righe.contains { if case .nullo = $0[c] { true } else { false } }
        b.writeInteger(Int32(1))                                 // dimensions
        b.writeInteger(Int32(nulli ? 1 : 0))                     // has NULLs
        b.writeInteger(Int32(bitPattern: tipo.elemento.rawValue)) // element type
        b.writeInteger(Int32(righe.count))                       // length of the dimension
        b.writeInteger(Int32(1))                                 // lower bound
        for riga in righe {
            switch riga[c] {
            case .nullo: b.writeInteger(Int32(-1))
            case let .intero(n): b.writeInteger(Int32(8)); b.writeInteger(n)
            case let .testo(t): b.writeInteger(Int32(t.utf8.count)); b.writeString(t)
            case let .blob(x): b.writeInteger(Int32(x.count)); b.writeBytes(x)
            }
        }
        dati = b
    }

    func encode<E: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        var d = dati
        byteBuffer.writeBuffer(&d)
    }
}

/// The `$N` parameters of a statement's SQL, outside quoted text.
enum ParametriSQL {
    /// `sql` with each `$N` replaced by `sostituto(N)`.
    static func sostituisci(_ sql: String, _ sostituto: (Int) -> String) -> String {
        var out = "", inTesto = false
        let s = Array(sql.unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "'" { inTesto.toggle() }
            if c == "$", !inTesto {
                var j = i + 1, n = 0
                while j < s.count, let d = s[j].properties.numericType == .decimal ? Int(String(s[j])) : nil, s[j].isASCII { n = n * 10 + d; j += 1 }
                if j > i + 1 {
                    out += sostituto(n)
                    i = j
                    continue
                }
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        return out
    }
}
