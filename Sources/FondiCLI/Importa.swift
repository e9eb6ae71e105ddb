import ArgumentParser
import Fondi
import FondiStore

/// `fondi importa FILE`: JSON Lines or CSV of commands, applied in order in one transaction (DOMAIN §7).
struct Importa: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Importa comandi da un file JSON Lines (.jsonl) o CSV (.csv): tutto o niente.")
    @Argument(help: "Il file da importare (.jsonl o .csv).") var file: String
    @OptionGroup var comuni: OpzioniComuni

    /// Set while lines are being parsed, so commands can refuse options that make no sense in a file.
    nonisolated(unsafe) static var inCorso = false

    /// Flags: `true` puts the flag on the command line, `false` or empty leaves it off.
    static let flag: Set<String> = ["vincolata", "libera", "prova"]

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let testo = try File.leggi(file)
        let registro = try comuni.apri()
        let base = try comuni.contesto()
        let righe: [(numero: Int, campi: [(String, String?)])]
        if file.lowercased().hasSuffix(".csv") {
            righe = try LettoreCSV.righe(testo)
        } else if file.lowercased().hasSuffix(".jsonl") || file.lowercased().hasSuffix(".json") {
            righe = try Self.righeJSONL(testo)
        } else {
            throw ErroreValore("file '\(file)': estensione non riconosciuta, usa .jsonl oppure .csv")
        }
        guard righe.count <= Limiti.righeImportaMax else {
            throw ErroreValore("file '\(file)': \(righe.count) righe, al massimo \(Limiti.righeImportaMax) per importazione")
        }
        var passi: [Passo] = []
        passi.reserveCapacity(righe.count)
        Self.inCorso = true
        defer { Self.inCorso = false }
        for r in righe { passi.append(try Self.passo(r.numero, r.campi, base: base)) }
        let contenuto = comuni.chiave.map { ($0, "{\"comando\":\"importa\",\"sha256\":\"\(Catena.impronta(Array(testo.utf8)))\"}") }
        let avanzamento = Avanzamento(totale: Int64(passi.count), formato: formato, unita: "righe")
        defer { avanzamento.fine() }
        let esiti = try registro.registra(passi, chiaveComplessiva: contenuto, ogniPasso: { avanzamento.passo() })
        let eventi = esiti.flatMap(\.eventi)
        let ripetuto = esiti.allSatisfy(\.ripetuto) && !esiti.isEmpty
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto([
                "righe": .intero(Int64(righe.count)), "eventi": .intero(Int64(eventi.count)), "ripetuto": .booleano(ripetuto),
                "primo_seq": eventi.first.map { .intero($0.seq) } ?? .nullo, "ultimo_seq": eventi.last.map { .intero($0.seq) } ?? .nullo,
                "hash": eventi.last.map { .stringa($0.hash) } ?? .nullo,
            ]).testoCanonico)
        case .csv:
            Uscita.stampa("righe,eventi,primo_seq,ultimo_seq\n\(righe.count),\(eventi.count),\(eventi.first?.seq ?? 0),\(eventi.last?.seq ?? 0)")
        case .tabella:
            let intervallo = eventi.isEmpty ? "" : " (seq \(eventi.first!.seq)–\(eventi.last!.seq), hash \(eventi.last!.hash))"
            Uscita.stampa("\(ripetuto ? "già importato, nulla è stato scritto: " : "importate ")\(righe.count) righe, \(eventi.count) eventi\(intervallo)")
        }
    }

    /// Reads JSON Lines: one object per non-empty line, values as text (numbers as typed).
    static func righeJSONL(_ testo: String) throws -> [(numero: Int, campi: [(String, String?)])] {
        var out: [(Int, [(String, String?)])] = []
        for (i, linea) in testo.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let riga = linea.hasSuffix("\r") ? linea.dropLast() : linea
            if riga.allSatisfy(\.isWhitespace) { continue }
            let valore: ValoreJSON
            do { valore = try ValoreJSON.leggi(String(riga)) } catch { throw RifiutoRiga(riga: i + 1, messaggio: error.description) }
            guard case let .oggetto(campi) = valore else { throw RifiutoRiga(riga: i + 1, messaggio: "atteso un oggetto JSON") }
            var coppie: [(String, String?)] = []
            for (k, v) in campi.sorted(by: { $0.key < $1.key }) {
                switch v {
                case let .stringa(s): coppie.append((k, s))
                case let .intero(n): coppie.append((k, String(n)))
                case let .numero(t): coppie.append((k, t))
                case let .booleano(b): coppie.append((k, b ? "true" : "false"))
                case .nullo: coppie.append((k, nil))
                case .oggetto, .lista: throw RifiutoRiga(riga: i + 1, messaggio: "il campo '\(k)' deve essere un testo, un numero o un booleano")
                }
            }
            out.append((i + 1, coppie))
        }
        return out
    }

    /// Turns one line into a command by parsing it as the same command line a user would type.
    static func passo(_ numero: Int, _ campi: [(String, String?)], base: Contesto) throws -> Passo {
        guard let comando = campi.first(where: { $0.0 == "comando" })?.1, !comando.isEmpty else {
            throw RifiutoRiga(riga: numero, messaggio: "campo 'comando' mancante (es. \"comando\":\"impegna\")")
        }
        var argomenti = comando.split(separator: " ").map(String.init)
        for (k, v) in campi where k != "comando" {
            guard let v, !v.isEmpty else { continue }
            if flag.contains(k) {
                switch v {
                case "true": argomenti.append("--\(k)")
                case "false": continue
                default: throw RifiutoRiga(riga: numero, messaggio: "il campo '\(k)' vale true o false, non '\(v)'")
                }
            } else {
                argomenti += ["--\(k)", v]
            }
        }
        do {
            let analizzato = try FondiComando.parseAsRoot(argomenti)
            guard let scrittura = analizzato as? any ComandoScrittura else {
                throw RifiutoRiga(riga: numero, messaggio: "'\(comando)' non è un comando che si può importare")
            }
            if scrittura.comuni.db != nil || scrittura.comuni.formato != "tabella" {
                throw RifiutoRiga(riga: numero, messaggio: "i campi 'db' e 'formato' non si usano nelle righe da importare")
            }
            let c = scrittura.comuni
            let contesto = Contesto(
                data: try c.data.map { try Lettura.data($0, campo: "data") } ?? base.data,
                atto: c.atto, utente: c.utente ?? base.utente, chiave: c.chiave)
            return Passo(comando: try scrittura.comando(), contesto: contesto, riga: numero)
        } catch let e as RifiutoRiga {
            throw e
        } catch let e as Rifiuto {
            throw RifiutoRiga(riga: numero, messaggio: e.messaggio)
        } catch let e as ErroreValore {
            throw RifiutoRiga(riga: numero, messaggio: e.messaggio)
        } catch {
            throw RifiutoRiga(riga: numero, messaggio: FondiComando.message(for: error))
        }
    }
}

/// RFC 4180 CSV with a header row; each record keeps the file line it starts on.
enum LettoreCSV {
    static func righe(_ testo: String) throws -> [(numero: Int, campi: [(String, String?)])] {
        var record: [(Int, [String])] = []
        var campo = "", corrente: [String] = [], tra = false, linea = 1, inizio = 1, appenaChiuso = false
        var iteratore = testo.makeIterator()
        var prossimo = iteratore.next()
        while let c = prossimo {
            prossimo = iteratore.next()
            if tra {
                if c == "\"" {
                    if prossimo == "\"" { campo.append("\""); prossimo = iteratore.next() } else { tra = false; appenaChiuso = true }
                } else {
                    if c == "\n" || c == "\r\n" { linea += 1 }
                    campo.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard campo.isEmpty, !appenaChiuso else { throw RifiutoRiga(riga: linea, messaggio: "virgolette in mezzo a un campo CSV") }
                tra = true
            case ",":
                corrente.append(campo); campo = ""; appenaChiuso = false
            case "\n", "\r\n", "\r":
                corrente.append(campo); campo = ""; appenaChiuso = false
                if !(corrente.count == 1 && corrente[0].isEmpty) { record.append((inizio, corrente)) }
                corrente = []
                linea += 1
                inizio = linea
            default:
                guard !appenaChiuso else { throw RifiutoRiga(riga: linea, messaggio: "testo dopo le virgolette di chiusura") }
                campo.append(c)
            }
        }
        if tra { throw RifiutoRiga(riga: inizio, messaggio: "virgolette non chiuse") }
        if !campo.isEmpty || !corrente.isEmpty { corrente.append(campo); record.append((inizio, corrente)) }
        guard let intestazione = record.first else { return [] }
        let chiavi = intestazione.1.map { $0.trimmingCharacters(in: " ") }
        guard Set(chiavi).count == chiavi.count else { throw RifiutoRiga(riga: intestazione.0, messaggio: "intestazione con colonne ripetute") }
        guard chiavi.contains("comando") else { throw RifiutoRiga(riga: intestazione.0, messaggio: "intestazione senza la colonna 'comando'") }
        return try record.dropFirst().map { numero, valori in
            guard valori.count == chiavi.count else {
                throw RifiutoRiga(riga: numero, messaggio: "\(valori.count) campi, l'intestazione ne ha \(chiavi.count)")
            }
            return (numero, Array(zip(chiavi, valori.map { $0.isEmpty ? nil : $0 })))
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
