import Fondi

/// A parsed command: its definition, its values, and its positional argument (`importa FILE`).
public struct Invocazione: Sendable {
    public let definizione: DefinizioneComando
    public let valori: Valori
    public let argomento: String?
}

/// What a command line asks for.
public enum Richiesta: Sendable {
    case esegui(Invocazione)
    /// Help text to print (exit 0).
    case aiuto(String)
    case versione
}

/// Parses command lines against the `Catalogo` (DOMAIN §7): `--db` before or after the subcommand,
/// `--opzione valore` or `--opzione=valore`, an option given twice refused, unknown names answered with the
/// nearest known one. Values stay text: converting them is the command's job (a bad value is exit 1, a bad
/// shape exit 2).
public enum Analisi {
    public static func comandoLinea(_ argomenti: [String]) throws(ErroreUso) -> Richiesta {
        var globali = Valori(origine: .comandoLinea)
        var i = 0
        if let r = try opzioniGlobali(argomenti, &i, &globali) { return r }
        let (definizione, nome): (DefinizioneComando, String)
        switch try sceltaComando(argomenti, &i) {
        case let .fatta(r): return r
        case let .comando(d, n): (definizione, nome) = (d, n)
        }
        var valori = Valori(origine: .comandoLinea)
        if let db = globali.testoGrezzo("db") { _ = valori.imposta("db", db, normalizza: false) }
        var argomento: String?
        if let r = try opzioni(argomenti, &i, definizione, nome, &valori, &argomento) { return r }
        try controllaCompleta(definizione, nome, valori, argomento)
        return .esegui(Invocazione(definizione: definizione, valori: valori, argomento: argomento))
    }

    /// Options before the subcommand: only --db (as with `git -C`), --help and --version.
    static func opzioniGlobali(_ argomenti: [String], _ i: inout Int, _ globali: inout Valori) throws(ErroreUso) -> Richiesta? {
        while i < argomenti.count, argomenti[i].hasPrefix("-") {
            let a = argomenti[i]
            switch a {
            case "--help", "-h", "--aiuto": return .aiuto(Aiuto.generale)
            case "--version", "--versione", "-V": return .versione
            case "--db":
                guard i + 1 < argomenti.count else { throw ErroreUso("manca il valore dell'opzione '--db'") }
                guard globali.imposta("db", argomenti[i + 1], normalizza: false) else { throw ErroreUso("opzione '--db' indicata due volte: indicala una sola volta") }
                i += 2
            default:
                if a.hasPrefix("--db=") {
                    guard globali.imposta("db", String(a.dropFirst(5)), normalizza: false) else { throw ErroreUso("opzione '--db' indicata due volte: indicala una sola volta") }
                    i += 1
                } else {
                    throw ErroreUso("opzione '\(a)' prima del comando: indica prima il comando, es. 'fondi saldi \(a) …'")
                }
            }
        }
        return nil
    }

    /// What the words after the global options ask for: help, or a command of the table (a group's subcommand included).
    enum Scelta { case fatta(Richiesta), comando(DefinizioneComando, String) }

    static func sceltaComando(_ argomenti: [String], _ i: inout Int) throws(ErroreUso) -> Scelta {
        guard i < argomenti.count else { return .fatta(.aiuto(Aiuto.generale)) }
        let primo = argomenti[i]
        if primo == "aiuto" || primo == "help" {
            let resto = argomenti[(i + 1)...].joined(separator: " ")
            if resto.isEmpty { return .fatta(.aiuto(Aiuto.generale)) }
            guard let d = Catalogo.definizione(resto) ?? Catalogo.definizione(String(resto.split(separator: " ").first ?? "")) else {
                throw ErroreUso("comando sconosciuto '\(resto)'\(suggerimento(resto, tra: Catalogo.tutti.map(\.nome)))")
            }
            return .fatta(.aiuto(Aiuto.comando(d)))
        }
        i += 1
        var nome = primo
        if i < argomenti.count, !argomenti[i].hasPrefix("-"), Catalogo.definizione("\(primo) \(argomenti[i])") != nil {
            nome = "\(primo) \(argomenti[i])"
            i += 1
        } else if Catalogo.gruppi.contains(primo) {
            let figli = Catalogo.tutti.filter { $0.nome.hasPrefix(primo + " ") }.map { String($0.nome.dropFirst(primo.count + 1)) }
            if i < argomenti.count, argomenti[i] == "--help" || argomenti[i] == "-h" {
                return .fatta(.aiuto(Aiuto.gruppo(primo)))
            }
            if Catalogo.definizione(primo) == nil {
                if i < argomenti.count, !argomenti[i].hasPrefix("-") {
                    throw ErroreUso("sottocomando sconosciuto '\(primo) \(argomenti[i])'\(suggerimento(argomenti[i], tra: figli, prefisso: primo + " ")); "
                        + "i sottocomandi di '\(primo)' sono \(Lettura.elenco(figli))")
                }
                throw ErroreUso("manca il sottocomando di '\(primo)': \(Lettura.elenco(figli))")
            }
        }
        guard let definizione = Catalogo.definizione(nome) else {
            // Sorted: the suggestion among equally near words must not depend on a Set's order from run to run.
            let parole = Set(Catalogo.tutti.map { String($0.nome.split(separator: " ")[0]) }).sorted() + ["aiuto"]
            throw ErroreUso("comando sconosciuto '\(primo)'\(suggerimento(primo, tra: parole)); l'elenco dei comandi: fondi --help")
        }
        return .comando(definizione, nome)
    }

    /// The command's options and its argument; `--help` among them answers with the command's help.
    static func opzioni(_ argomenti: [String], _ i: inout Int, _ definizione: DefinizioneComando, _ nome: String,
                        _ valori: inout Valori, _ argomento: inout String?) throws(ErroreUso) -> Richiesta? {
        var soloArgomenti = false
        while i < argomenti.count {
            let a = argomenti[i]
            i += 1
            if soloArgomenti || !a.hasPrefix("-") || a == "-" {
                guard definizione.argomento != nil else {
                    throw ErroreUso("argomento inatteso '\(Testo.visibile(a))' per '\(nome)': i valori seguono le opzioni, es. --importo 100", comando: nome)
                }
                guard argomento == nil else { throw ErroreUso("argomento in più '\(Testo.visibile(a))': '\(nome)' prende un solo \(definizione.argomento!)", comando: nome) }
                argomento = a
                continue
            }
            if a == "--" { soloArgomenti = true; continue }
            if a == "--help" || a == "-h" { return .aiuto(Aiuto.comando(definizione)) }
            guard a.hasPrefix("--") else {
                throw ErroreUso("opzione sconosciuta '\(Testo.visibile(a))' per '\(nome)': le opzioni si scrivono con due trattini, es. --importo", comando: nome)
            }
            var chiave = String(a.dropFirst(2))
            var valore: String?
            if let uguale = chiave.firstIndex(of: "=") {
                valore = String(chiave[chiave.index(after: uguale)...])
                chiave = String(chiave[..<uguale])
            }
            guard let campo = definizione.campo(chiave) else {
                throw ErroreUso("opzione sconosciuta '--\(Testo.visibile(chiave))' per '\(nome)'"
                    + suggerimento(chiave, tra: definizione.campi.map(\.nome), prefisso: "--"), comando: nome)
            }
            if campo.tipo == .flag {
                guard valore == nil else { throw ErroreUso("l'opzione '--\(chiave)' non vuole un valore", comando: nome) }
                valore = "true"
            } else if valore == nil {
                // The next word is the value, even when it starts with '-' (a negative amount is a bad value,
                // exit 1), unless it is another option of this command.
                guard i < argomenti.count, !(argomenti[i].hasPrefix("--") && definizione.campo(nomeOpzione(argomenti[i])) != nil) else {
                    throw ErroreUso("manca il valore dell'opzione '--\(chiave)' (\(campo.tipo.formato))", comando: nome)
                }
                valore = argomenti[i]
                i += 1
            }
            guard valori.imposta(chiave, valore!, normalizza: campo.tipo != .percorso) else {
                throw ErroreUso("opzione '--\(chiave)' indicata due volte: indicala una sola volta", comando: nome)
            }
        }
        return nil
    }

    /// Refuses a command line without a required option or argument.
    static func controllaCompleta(_ definizione: DefinizioneComando, _ nome: String, _ valori: Valori, _ argomento: String?) throws(ErroreUso) {
        if let db = valori.testoGrezzo("db"), db.isEmpty { throw ErroreUso("il valore di '--db' è vuoto: indica il file del registro", comando: nome) }
        let mancanti = definizione.campi.filter { $0.obbligatorio && !valori.ha($0.nome) }.map { "'--\($0.nome)'" }
        if mancanti.count == 1 { throw ErroreUso("manca l'opzione obbligatoria \(mancanti[0])", comando: nome) }
        if mancanti.count > 1 { throw ErroreUso("mancano le opzioni obbligatorie \(Lettura.elenco(mancanti, congiunzione: "e"))", comando: nome) }
        if let nomeArgomento = definizione.argomento, argomento == nil {
            throw ErroreUso("manca l'argomento \(nomeArgomento) di '\(nome)'", comando: nome)
        }
    }

    static func nomeOpzione(_ a: String) -> String {
        let s = a.dropFirst(2)
        return String(s.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// `: forse 'impegna'?` when a known word is within a couple of edits, else nothing.
    public static func suggerimento(_ parola: String, tra candidati: [String], prefisso: String = "") -> String {
        let p = Array(parola.lowercased().unicodeScalars.prefix(64))
        var migliore: (String, Int)?
        for c in candidati {
            let d = distanza(p, Array(c.unicodeScalars))
            if d <= max(1, min(3, c.count / 3)), migliore.map({ d < $0.1 }) ?? true { migliore = (c, d) }
        }
        if migliore == nil, let c = candidati.first(where: { $0.hasPrefix(String(String.UnicodeScalarView(p))) && p.count >= 3 }) { migliore = (c, 0) }
        return migliore.map { ": forse '\(prefisso)\($0.0)'?" } ?? ""
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit.
    static func distanza(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let costo = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + costo)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

/// Help texts, built from the catalogue.
public enum Aiuto {
    public static var generale: String {
        var out = """
            fondi \(Versione.corrente) — registro a eventi degli impegni di fondi pubblici (Ufficio di Piano)

            uso: fondi [--db FILE] COMANDO [OPZIONI]
                 fondi COMANDO --help      aiuto di un comando
                 fondi --version           versione

            comandi:

            """
        let larghezza = Catalogo.tutti.map(\.nome.count).max() ?? 0
        for d in Catalogo.tutti {
            out += "  " + d.nome + String(repeating: " ", count: larghezza - d.nome.count + 2) + d.sintesi + "\n"
        }
        out += """

            Importi: 1.234,56 oppure 1234,56 o 1234.56 (1.234 è ambiguo e viene rifiutato). Date: AAAA-MM-GG.
            Il registro è --db FILE, altrimenti $FONDI_DB, altrimenti ./fondi.sqlite.
            Uscita: 0 riuscito; 1 rifiutato da una regola o valore errato (nulla è scritto); 2 errore d'uso;
            3 verifica fallita (integrità).

            """
        return out
    }

    static func gruppo(_ primo: String) -> String {
        var out = "fondi \(primo) — sottocomandi:\n\n"
        for d in Catalogo.tutti where d.nome == primo || d.nome.hasPrefix(primo + " ") {
            out += "  fondi \(d.nome): \(d.sintesi)\n"
        }
        return out + "\nAiuto di un sottocomando: fondi \(primo) SOTTOCOMANDO --help\n"
    }

    /// `uso: fondi impegna --numero CODICE … [--cig TESTO]`.
    public static func uso(_ d: DefinizioneComando) -> String {
        var parti = ["fondi", d.nome]
        for c in d.campi where c.obbligatorio { parti.append("--\(c.nome) \(c.tipo.segnaposto)") }
        if d.conAtto { parti.append("--atto TESTO") }
        if let a = d.argomento { parti.append(a) }
        parti.append("[opzioni]")
        return "uso: " + parti.joined(separator: " ")
    }

    public static func comando(_ d: DefinizioneComando) -> String {
        var out = "fondi \(d.nome) — \(d.sintesi)\n\n\(uso(d))\n\nopzioni:\n"
        let etichette = d.campi.map { c in "--\(c.nome)" + (c.tipo == .flag ? "" : " \(c.tipo.segnaposto)") }
        let larghezza = min(28, etichette.map(\.count).max() ?? 0)
        for (c, e) in zip(d.campi, etichette) {
            let stato = c.obbligatorio || (c.nome == "atto" && d.conAtto) ? "obbligatoria" : "facoltativa"
            let pad = String(repeating: " ", count: max(2, larghezza - e.count + 2))
            out += "  \(e)\(pad)\(c.aiuto) (\(stato); \(c.tipo.formato))\n"
        }
        out += "  --help" + String(repeating: " ", count: max(2, larghezza - 4)) + "questo aiuto\n"
        return out
    }
}

public enum Versione {
    public static let corrente = "0.9.0"
}
