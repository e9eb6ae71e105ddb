/// One cell of a report. Amounts stay integer cents until rendered.
public enum Cella: Equatable, Sendable {
    case testo(String)
    case intero(Int64)
    case importo(Int64)
    case booleano(Bool)
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
    public static func json(_ tabelle: [Tabella]) -> String {
        var campi: [String: ValoreJSON] = [:]
        for t in tabelle {
            campi[t.nome] = .lista(t.righe.map { riga in
                var o: [String: ValoreJSON] = [:]
                for (c, v) in zip(t.colonne, riga) { o[c] = valore(v) }
                return .oggetto(o)
            })
        }
        return ValoreJSON.oggetto(campi).testoCanonico
    }

    static func valore(_ c: Cella) -> ValoreJSON {
        switch c {
        case let .testo(s): .stringa(s)
        case let .intero(n), let .importo(n): .intero(n)
        case let .booleano(b): .booleano(b)
        case .nullo: .nullo
        }
    }

    /// CSV (RFC 4180): header row, amounts in euro with a dot and two decimals. Several tables are
    /// separated by an empty line, each with its own header.
    public static func csv(_ tabelle: [Tabella]) -> String {
        var out = ""
        for (n, t) in tabelle.enumerated() {
            if n > 0 { out += "\n" }
            out += t.colonne.map(campoCSV).joined(separator: ",") + "\n"
            for riga in t.righe {
                out += riga.map { c -> String in
                    switch c {
                    case let .testo(s): campoCSV(s)
                    case let .intero(i): String(i)
                    case let .importo(i): Importo.formatoPunto(i)
                    case let .booleano(b): b ? "true" : "false"
                    case .nullo: ""
                    }
                }.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    public static func campoCSV(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A human table: Italian number format, amounts right-aligned, one title line per table.
    public static func tabella(_ tabelle: [Tabella], titoli: [String: String] = [:]) -> String {
        var out = ""
        for (n, t) in tabelle.enumerated() {
            if n > 0 { out += "\n" }
            if let titolo = titoli[t.nome] { out += titolo + "\n" }
            let testi = t.righe.map { $0.map(testoCella) }
            var larghezze = t.colonne.map(\.count)
            for riga in testi { for (i, c) in riga.enumerated() { larghezze[i] = max(larghezze[i], c.count) } }
            let destra = t.colonne.indices.map { i in
                t.righe.contains { if case .importo = $0[i] { true } else if case .intero = $0[i] { true } else { false } }
            }
            func linea(_ celle: [String]) -> String {
                celle.enumerated().map { i, c in
                    let pad = String(repeating: " ", count: larghezze[i] - c.count)
                    return destra[i] ? pad + c : c + pad
                }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            }
            out += linea(t.colonne)
            out += linea(larghezze.map { String(repeating: "-", count: $0) })
            for riga in testi { out += linea(riga) }
            if t.righe.isEmpty { out += "(nessuna riga)\n" }
        }
        return out
    }

    static func testoCella(_ c: Cella) -> String {
        switch c {
        case let .testo(s): s
        case let .intero(i): String(i)
        case let .importo(i): Importo.formatoItaliano(i)
        case let .booleano(b): b ? "sì" : "no"
        case .nullo: ""
        }
    }
}

extension String {
    func replacingAll(_ a: Character, with b: String) -> String {
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
