/// One cell of a report. Amounts stay integer cents until rendered.
public enum Cella: Equatable, Sendable {
    case testo(String)
    case intero(Int64)
    case importo(Int64)
    case booleano(Bool)
    /// A date: ISO in JSON and CSV, `gg/mm/aaaa` in tables, a date cell in a workbook.
    case data(DataContabile)
    case nullo
}

/// A named table of a report: `righe` in `saldi`, `fonti` and `impegni` in `residui` (DOMAIN §7).
public struct Tabella: Equatable, Sendable {
    public let nome: String
    public let colonne: [String]
    public var righe: [[Cella]]

    public init(nome: String, colonne: [String], righe: [[Cella]] = []) {
        self.nome = nome
        self.colonne = colonne
        self.righe = righe
    }
}

/// The three output formats of DOMAIN §7.
public enum Formato: String, Sendable, CaseIterable {
    case tabella, json, csv
}

/// Renders report tables. Pure string building: the CLI prints the result.
public enum Rendering {
    /// JSON: one object whose keys are the table names, each a list of row objects (amounts in cents).
    /// The bytes are those of the canonical form (keys in UTF-16 order, RFC 8785), written straight from the
    /// cells: the order of a table's columns is worked out once, not once per row.
    public static func json(_ tabelle: [Tabella]) -> String {
        func precede(_ a: String, _ b: String) -> Bool { a.utf16.lexicographicallyPrecedes(b.utf16) }
        // One entry per table name (the last wins, as in a dictionary), in key order.
        var perNome: [String: Tabella] = [:]
        for t in tabelle { perNome[t.nome] = t }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(0x7B)
        for (n, nome) in perNome.keys.sorted(by: precede).enumerated() {
            let t = perNome[nome]!
            if n > 0 { out.append(0x2C) }
            ValoreJSON.scriviStringa(nome, into: &out)
            out.append(contentsOf: [0x3A, 0x5B])
            // Each column once (the last wins), sorted; its key written once as `"col":`.
            var ultima: [String: Int] = [:]
            for (i, c) in t.colonne.enumerated() { ultima[c] = i }
            let ordine = ultima.keys.sorted(by: precede).map { c -> (Int, [UInt8]) in
                var k: [UInt8] = []
                ValoreJSON.scriviStringa(c, into: &k)
                k.append(0x3A)
                return (ultima[c]!, k)
            }
            for (r, riga) in t.righe.enumerated() {
                if r > 0 { out.append(0x2C) }
                if riga.count != t.colonne.count {
                    // A short row (none in Fondi's reports): as the reference builds it.
                    var o: [String: ValoreJSON] = [:]
                    for (c, v) in zip(t.colonne, riga) { o[c] = valore(v) }
                    ValoreJSON.oggetto(o).scriviCanonico(into: &out)
                    continue
                }
                out.append(0x7B)
                var primo = true
                for (i, chiave) in ordine {
                    if !primo { out.append(0x2C) }
                    primo = false
                    out.append(contentsOf: chiave)
                    valore(riga[i]).scriviCanonico(into: &out)
                }
                out.append(0x7D)
            }
            out.append(0x5D)
        }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same text through `ValoreJSON` (the reference `json` is tested against).
    public static func jsonRiferimento(_ tabelle: [Tabella]) -> String {
        var campi: [String: ValoreJSON] = [:]
        for t in tabelle { campi[t.nome] = righe(t) }
        return ValoreJSON.oggetto(campi).testoCanonico
    }

    /// A table's rows as a JSON list of objects (amounts in cents, absent values null).
    public static func righe(_ t: Tabella) -> ValoreJSON {
        .lista(t.righe.map { riga in
            var o: [String: ValoreJSON] = [:]
            for (c, v) in zip(t.colonne, riga) { o[c] = valore(v) }
            return .oggetto(o)
        })
    }

    static func valore(_ c: Cella) -> ValoreJSON {
        switch c {
        case let .testo(s): .stringa(s)
        case let .intero(n), let .importo(n): .intero(n)
        case let .booleano(b): .booleano(b)
        case let .data(d): .stringa(d.description)
        case .nullo: .nullo
        }
    }

    /// CSV (RFC 4180): header row, amounts in euro with a dot and two decimals. Several tables are
    /// separated by an empty line, each with its own header.
    public static func csv(_ tabelle: [Tabella]) -> String {
        var out = ""
        for (n, t) in tabelle.enumerated() {
            if n > 0 { out += "\n" }
            out += t.colonne.map { campoCSV($0) }.joined(separator: ",") + "\n"
            for riga in t.righe {
                out += riga.map { c -> String in
                    switch c {
                    case let .testo(s): campoCSV(s)
                    case let .intero(i): String(i)
                    case let .importo(i): Importo.formatoPunto(i)
                    case let .booleano(b): b ? "true" : "false"
                    case let .data(d): d.description
                    case .nullo: ""
                    }
                }.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// CSV for Italian spreadsheets (the pages' downloads; the CLI's `--formato csv` stays as DOMAIN §7 says):
    /// UTF-8 with a BOM, `;` between fields, Italian headers, amounts with a decimal comma and no thousands
    /// separator, dates `gg/mm/aaaa`, `sì`/`no`; CRLF line ends. Several tables are separated by an empty line.
    public static func csvItaliano(_ tabelle: [Tabella]) -> String {
        var out = "\u{FEFF}"
        for (n, t) in tabelle.enumerated() {
            if n > 0 { out += "\r\n" }
            out += t.colonne.map { campoCSV(intestazione($0), separatore: ";") }.joined(separator: ";") + "\r\n"
            for riga in t.righe {
                out += riga.map { c -> String in
                    switch c {
                    case let .testo(s): campoCSV(s, separatore: ";")
                    case let .intero(i): String(i)
                    case let .importo(i): Importo.formatoPunto(i).replacingAll(".", with: ",")
                    case let .booleano(b): b ? "sì" : "no"
                    case let .data(d): d.italiano
                    case .nullo: ""
                    }
                }.joined(separator: ";") + "\r\n"
            }
        }
        return out
    }

    /// The sum of each amount column (nil for the others and for a column that also holds text, such as a cassa
    /// shown as "—"), or nil when a sum would overflow: a total is exact or absent.
    public static func totali(_ t: Tabella) -> [Int64?]? {
        var somme = [Int64?](repeating: nil, count: t.colonne.count)
        var mista = [Bool](repeating: false, count: t.colonne.count)
        for riga in t.righe {
            for (i, c) in riga.enumerated() {
                guard case let .importo(x) = c else {
                    if case .testo = c { mista[i] = true }
                    continue
                }
                let (s, traboccato) = (somme[i] ?? 0).addingReportingOverflow(x)
                if traboccato { return nil }
                somme[i] = s
            }
        }
        return somme.enumerated().map { mista[$0.offset] ? nil : $0.element }
    }

    /// One CSV text field: quoted when needed, and prefixed with `'` when it begins with `=`, `+`, `-`, `@`,
    /// a tab or a carriage return, so a spreadsheet never runs it as a formula (DOMAIN §7).
    public static func campoCSV(_ s: String, separatore: Character = ",") -> String {
        var s = s
        if let primo = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(primo) { s = "'" + s }
        guard s.contains(where: { $0 == separatore || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }

    /// The Italian header of a column, from its JSON key.
    public static func intestazione(_ chiave: String) -> String {
        switch chiave {
        case "annualita": return "Annualità"
        case "anno_provenienza": return "Anno prov."
        case "seq": return "Seq"
        case "creata_il": return "Creata il"
        case "fpv_entrata": return "FPV entrata"
        case "fpv_spesa": return "FPV spesa"
        case "fpv": return "FPV"
        case "cig": return "CIG"
        case "cup": return "CUP"
        default:
            let parole = chiave.split(separator: "_").joined(separator: " ")
            return parole.prefix(1).uppercased() + parole.dropFirst()
        }
    }

    /// A human table: Italian headers and number format, amounts right-aligned, one title line per table,
    /// fitted to `larghezza` columns by shortening the longest text columns (amounts are never cut).
    /// Columns a human table may leave out when it would not fit, least needed first. JSON and CSV keep all.
    public static let colonneSecondarie = ["atto", "prorogata", "base", "soglia", "tipo", "vincolata", "annualita", "fpv_entrata", "fpv_spesa", "economie", "liquidato",
                                           "da_riscuotere", "accertato", "prenotato", "riscosso", "programmato", "pagato", "impegnato",
                                           "anno_provenienza",
                                           "servizio", "esercizio", "creditore", "descrizione"]

    /// A table's cells, their widths and kinds per column: widths are measured without formatting amounts
    /// and integers (their digits are counted), so that columns left out to fit are never formatted, and the
    /// others are formatted once, when printed.
    struct Testi {
        var colonne: [String]
        var intestazioni: [String]
        var celle: [[Cella]]
        var larghezze: [Int]
        var testuale: [Bool]
        var destra: [Bool]

        init(_ t: Tabella) {
            colonne = t.colonne
            intestazioni = t.colonne.map(Rendering.intestazione)
            celle = t.righe
            larghezze = intestazioni.map(\.count)
            testuale = Array(repeating: false, count: t.colonne.count)
            destra = Array(repeating: false, count: t.colonne.count)
            for riga in t.righe {
                for (i, c) in riga.enumerated() {
                    larghezze[i] = max(larghezze[i], Rendering.larghezzaCella(c))
                    switch c {
                    case .testo: testuale[i] = true
                    case .importo, .intero: destra[i] = true
                    default: break
                    }
                }
            }
        }

        /// The width with text columns shortened to at most 20 characters (numbers never are).
        var larghezzaMinima: Int {
            zip(larghezze, testuale).map { $1 ? min($0, 20) : $0 }.reduce(0, +) + 2 * max(0, larghezze.count - 1)
        }

        mutating func togli(_ i: Int) {
            colonne.remove(at: i)
            intestazioni.remove(at: i)
            for k in celle.indices { celle[k].remove(at: i) }
            larghezze.remove(at: i)
            testuale.remove(at: i)
            destra.remove(at: i)
        }
    }

    /// The printed width of a cell, without building its text for numbers.
    public static func larghezzaCella(_ c: Cella) -> Int {
        func cifre(_ v: UInt64) -> Int {
            var n = 1, x = v
            while x >= 10 { x /= 10; n += 1 }
            return n
        }
        switch c {
        case let .importo(v):
            // `1.234,56`: the euro digits with a dot every three, a comma and two decimals, and the sign.
            let euro = cifre(v.magnitude / 100)
            return euro + (euro - 1) / 3 + 3 + (v < 0 ? 1 : 0)
        case let .intero(v): return cifre(v.magnitude) + (v < 0 ? 1 : 0)
        default: return testoCella(c).count
        }
    }

    /// A human table: Italian headers and number format, amounts right-aligned, one title line per table,
    /// fitted to `larghezza` columns: secondary columns left out (in `colonneSecondarie` order, and named in
    /// a last line) while even shortened text would not fit, then the longest text columns shortened with
    /// `…` (amounts are never cut).
    public static func tabella(_ tabelle: [Tabella], titoli: [String: String] = [:], larghezza: Int = 120, adattando: Bool = true) -> String {
        var out = ""
        for (n, t) in tabelle.enumerated() {
            if n > 0 { out += "\n" }
            if let titolo = titoli[t.nome] { out += titolo + "\n" }
            var x = Testi(t)
            var nascoste: [String] = []
            if adattando {
                for c in colonneSecondarie where x.larghezzaMinima > larghezza && x.colonne.count > 2 {
                    guard let i = x.colonne.firstIndex(of: c) else { continue }
                    x.togli(i)
                    nascoste.append(c)
                }
            }
            // Shrink the widest text column, one character at a time, until the table fits.
            var larghezze = x.larghezze
            let minimo = 10
            var totale = larghezze.reduce(0, +) + 2 * max(0, larghezze.count - 1)
            while totale > larghezza {
                guard let i = larghezze.indices.filter({ x.testuale[$0] && larghezze[$0] > minimo }).max(by: { larghezze[$0] < larghezze[$1] }) else { break }
                larghezze[i] -= 1
                totale -= 1
            }
            func linea(_ celle: [String]) -> String {
                celle.enumerated().map { i, c in
                    let c = c.count <= larghezze[i] ? c : String(c.prefix(max(1, larghezze[i] - 1))) + "…"
                    let pad = String(repeating: " ", count: max(0, larghezze[i] - c.count))
                    return x.destra[i] ? pad + c : c + pad
                }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            }
            out += linea(x.intestazioni)
            out += linea(larghezze.map { String(repeating: "-", count: $0) })
            for riga in x.celle { out += linea(riga.map(Rendering.testoCella)) }
            if t.righe.isEmpty { out += "(nessuna riga)\n" }
            if !nascoste.isEmpty {
                // The note wraps at the table's width, between column names.
                var riga = "(nascoste:"
                for (i, c) in nascoste.enumerated() {
                    let parola = " " + c + (i == nascoste.count - 1 ? ";" : ",")
                    if riga.count + parola.count > larghezza { out += riga + "\n"; riga = " " }
                    riga += parola
                }
                let coda = " per sceglierle: --colonne)"
                out += (riga.count + coda.count > larghezza ? riga + "\n" + coda.dropFirst() : riga + coda) + "\n"
            }
        }
        return out
    }

    public static func testoCella(_ c: Cella) -> String {
        switch c {
        case let .testo(s): s
        case let .intero(i): String(i)
        case let .importo(i): Importo.formatoItaliano(i)
        case let .booleano(b): b ? "sì" : "no"
        case let .data(d): d.italiano
        case .nullo: ""
        }
    }
}

extension String {
    /// Every `a` replaced by `b` (no Foundation in the domain).
    public func replacingAll(_ a: Character, with b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }

    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
