import Fondi
import Dispatch
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Reads a file in blocks, one line at a time, as bytes: memory does not grow with the file. Ends of line
/// are `\n`, `\r\n` or `\r`; a UTF-8 byte-order mark at the start is skipped.
final class LettoreFile {
    private let fd: Int32
    private var blocco = [UInt8](repeating: 0, count: 1 << 20)
    private var inizio = 0, fine = 0
    private var finito = false
    private(set) var byteLetti: Int64 = 0
    let dimensione: Int64
    /// No line (or quoted CSV record) of a command file is longer than this: memory stays bounded.
    static let rigaMax = 1 << 20

    /// Bytes already in memory (an API body, a fuzz input): the same line splitting as a file.
    init(byte: [UInt8]) {
        fd = -1
        blocco = byte.isEmpty ? [0] : byte
        fine = byte.count
        finito = true
        dimensione = Int64(byte.count)
        byteLetti = dimensione
        if fine >= 3, blocco[0] == 0xEF, blocco[1] == 0xBB, blocco[2] == 0xBF { inizio = 3 }
    }

    init(percorso: String) throws {
        var info = stat()
        guard stat(percorso, &info) == 0 else {
            throw ErroreValore("file '\(percorso)' non leggibile: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ErroreValore("'\(percorso)' non è un file da importare (è una cartella o un file speciale)")
        }
        fd = open(percorso, O_RDONLY)
        guard fd >= 0 else { throw ErroreValore("file '\(percorso)' non leggibile: \(String(cString: strerror(errno)))") }
        dimensione = Int64(info.st_size)
        try riempi()
        if fine - inizio >= 3, blocco[0] == 0xEF, blocco[1] == 0xBB, blocco[2] == 0xBF { inizio = 3 }
    }

    deinit { if fd >= 0 { close(fd) } }

    private func riempi() throws {
        guard fd >= 0 else { finito = true; return }
        if inizio > 0 {
            blocco.withUnsafeMutableBufferPointer { b in
                let n = fine - inizio
                if n > 0 { memmove(b.baseAddress!, b.baseAddress! + inizio, n) }
            }
            fine -= inizio
            inizio = 0
        }
        if fine == blocco.count {
            guard blocco.count < LettoreFile.rigaMax * 2 else {
                throw ErroreValore("una riga del file supera \(LettoreFile.rigaMax / 1_048_576) MiB: non è un file di comandi")
            }
            blocco += [UInt8](repeating: 0, count: blocco.count)
        }
        let letti = blocco.withUnsafeMutableBufferPointer { b in read(fd, b.baseAddress! + fine, b.count - fine) }
        guard letti >= 0 else { throw ErroreValore("errore di lettura del file: \(String(cString: strerror(errno)))") }
        if letti == 0 { finito = true }
        fine += letti
        byteLetti += Int64(letti)
    }

    /// The next line without its end of line, or nil at the end of the file.
    func riga() throws -> ArraySlice<UInt8>? {
        var cerca = inizio
        while true {
            while cerca < fine {
                let b = blocco[cerca]
                if b == 0x0A || b == 0x0D {
                    if b == 0x0D, cerca + 1 >= fine, !finito {
                        // A CR at the end of the block: the LF may follow in the next one.
                        let relativo = cerca - inizio
                        try riempi()
                        cerca = inizio + relativo
                        continue
                    }
                    let r = blocco[inizio..<cerca]
                    var dopo = cerca + 1
                    if b == 0x0D, dopo < fine, blocco[dopo] == 0x0A { dopo += 1 }
                    inizio = dopo
                    return r
                }
                cerca += 1
            }
            if finito {
                guard inizio < fine else { return nil }
                let r = blocco[inizio..<fine]
                inizio = fine
                return r
            }
            let relativo = cerca - inizio
            try riempi()
            cerca = inizio + relativo
        }
    }
}

/// One record of an import file: its line number and its key/value pairs as text (nil for null or empty).
public struct RecordImportato: Sendable {
    public let riga: Int
    public let campi: [(String, String?)]
}

/// `fondi importa FILE`: JSON Lines or CSV of commands, read as a stream and turned line by line into
/// domain commands through the `Catalogo` (DOMAIN §7). `prossimo()` feeds `Registro.registra(flusso:)`,
/// which applies everything in one transaction.
public final class Importazione {
    public enum Formato: Sendable { case jsonl, csv }

    public let percorso: String
    public let formato: Formato
    let base: Contesto
    let lettore: LettoreFile
    public private(set) var righe = 0
    private var numeroRiga = 0
    private var csv: LettoreCSV?

    public var byteLetti: Int64 { lettore.byteLetti }
    public var dimensione: Int64 { lettore.dimensione }

    public convenience init(percorso: String, base: Contesto) throws {
        let formato = try Self.formato(di: percorso)
        self.init(percorso: percorso, formato: formato, base: base, lettore: try LettoreFile(percorso: percorso))
    }

    /// The same reading over bytes in memory (`nome` gives the format by its extension, as for a file).
    public convenience init(byte: [UInt8], nome: String, base: Contesto) throws {
        self.init(percorso: nome, formato: try Self.formato(di: nome), base: base, lettore: LettoreFile(byte: byte))
    }

    init(percorso: String, formato: Formato, base: Contesto, lettore: LettoreFile) {
        self.percorso = percorso
        self.formato = formato
        self.base = base
        self.lettore = lettore
    }

    /// The format by the file's extension.
    static func formato(di nome: String) throws -> Formato {
        let minuscolo = nome.lowercased()
        if minuscolo.hasSuffix(".csv") { return .csv }
        if minuscolo.hasSuffix(".jsonl") || minuscolo.hasSuffix(".json") || minuscolo.hasSuffix(".ndjson") { return .jsonl }
        throw ErroreValore("file '\(nome)': estensione non riconosciuta, usa .jsonl oppure .csv")
    }

    /// The next command, or nil at the end of the file.
    public func prossimo() throws -> Passo? {
        guard let r = try prossimoRecord() else { return nil }
        righe += 1
        guard righe <= Limiti.righeImportaMax else {
            throw ErroreValore("file '\(percorso)': più di \(Limiti.righeImportaMax) righe, al massimo \(Limiti.righeImportaMax) per importazione")
        }
        return try Importazione.passo(r, base: base)
    }

    func prossimoRecord() throws -> RecordImportato? {
        switch formato {
        case .jsonl:
            while let riga = try lettore.riga() {
                numeroRiga += 1
                if riga.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return try Importazione.recordJSON(Array(riga), riga: numeroRiga)
            }
            return nil
        case .csv:
            if csv == nil { csv = try LettoreCSV(lettore: lettore) }
            return try csv!.prossimo()
        }
    }

    /// One JSON Lines line: a flat object; values are strings, numbers or booleans (null: absent).
    static func recordJSON(_ byte: [UInt8], riga: Int) throws -> RecordImportato {
        let coppie: [(String, ValoreJSON)]
        do { coppie = try ValoreJSON.leggiOggettoPiatto(byte: byte) } catch { throw RifiutoRiga(riga: riga, messaggio: error.description) }
        return try record(coppie, riga: riga)
    }

    /// A flat object's pairs as a record (an `importa` line, or an API body's command).
    public static func record(_ coppie: [(String, ValoreJSON)], riga: Int) throws -> RecordImportato {
        var campi: [(String, String?)] = []
        campi.reserveCapacity(coppie.count)
        for (k, v) in coppie {
            switch v {
            case let .stringa(s): campi.append((k, s))
            case let .intero(n): campi.append((k, String(n)))
            case let .numero(t): campi.append((k, t))
            case let .booleano(b): campi.append((k, b ? "true" : "false"))
            case .nullo: campi.append((k, nil))
            case .oggetto, .lista: throw RifiutoRiga(riga: riga, messaggio: "il campo '\(k)' deve essere un testo, un numero o un booleano")
            }
        }
        return RecordImportato(riga: riga, campi: campi)
    }

    /// Turns one record into a command through the command's definition, as a form or an API body would.
    public static func passo(_ r: RecordImportato, base: Contesto) throws -> Passo {
        let riga = r.riga
        guard let comando = r.campi.first(where: { $0.0 == "comando" })?.1, !comando.isEmpty else {
            throw ErroreUsoRiga(riga: riga, messaggio: "campo 'comando' mancante (es. \"comando\":\"impegna\")")
        }
        do {
            let (definizione, valori) = try analizza(comando: comando, campi: r.campi.filter { $0.0 != "comando" })
            guard case let .scrittura(costruisci) = definizione.genere, definizione.nome != "importa" else {
                throw ErroreUso("'\(comando)' non è un comando che si può importare")
            }
            let contesto = try Catalogo.contesto(valori, base: base)
            return Passo(comando: try costruisci(valori), contesto: contesto, riga: riga)
        } catch let e as ErroreUso {
            throw ErroreUsoRiga(riga: riga, messaggio: e.messaggio)
        } catch let e as RifiutoRiga {
            throw e
        } catch {
            throw RifiutoRiga(riga: riga, messaggio: messaggio(di: error))
        }
    }

    /// Checks the keys of a record (or a form, or an API object) against a command's definition.
    public static func analizza(comando: String, campi: [(String, String?)]) throws -> (DefinizioneComando, Valori) {
        guard let definizione = Catalogo.definizione(comando) else {
            let scritture = Catalogo.tutti.filter(\.scrive).map(\.nome)
            throw ErroreUso("comando sconosciuto '\(Testo.visibile(comando))'\(Analisi.suggerimento(comando, tra: scritture))")
        }
        var valori = Valori(origine: .riga)
        for (k, v) in campi {
            if k == "db" || k == "formato" { throw ErroreUso("i campi 'db' e 'formato' non si usano nelle righe da importare") }
            // An empty cell is an absent value: a CSV of several commands has columns that some rows leave empty.
            guard let v, !v.isEmpty else { continue }
            guard let campo = definizione.campo(k) else {
                throw ErroreUso("campo sconosciuto '\(Testo.visibile(k))' per '\(comando)'" + Analisi.suggerimento(k, tra: definizione.campi.map(\.nome)))
            }
            if campo.tipo == .flag {
                switch v {
                case "true", "on": _ = valori.imposta(k, "true")
                case "false": continue
                default: throw ErroreValore("il campo '\(k)' vale true o false, non '\(Testo.visibile(v))'")
                }
            } else if !valori.imposta(k, v) {
                throw ErroreUso("campo '\(k)' ripetuto")
            }
        }
        let mancanti = definizione.campi.filter { $0.obbligatorio && !valori.ha($0.nome) }.map { "'\($0.nome)'" }
        // A missing value in a line is a refused value (exit 1, HTTP 422), as DOMAIN §8 has it.
        if mancanti.count == 1 { throw ErroreValore("manca il campo obbligatorio \(mancanti[0])") }
        if mancanti.count > 1 { throw ErroreValore("mancano i campi obbligatori \(Lettura.elenco(mancanti, congiunzione: "e"))") }
        return (definizione, valori)
    }
}

extension Catalogo {
    /// Who, when and under which act: `--data` (default `base.data`), `--atto`, `--utente` (default
    /// `base.utente`), `--chiave`, validated as DOMAIN rule 13 says.
    public static func contesto(_ v: Valori, base: Contesto) throws -> Contesto {
        Contesto(data: try v.data("data") ?? base.data, atto: try v.testoOpzionale("atto") ?? (v.origine == .riga ? base.atto : nil),
                 utente: try v.codiceOpzionale("utente") ?? base.utente, chiave: try v.codiceOpzionale("chiave"))
    }
}

/// RFC 4180 CSV read as a stream, with the separator (`,` or `;`, as Italian Excel saves) detected from
/// the header row; quoted fields may span lines. Each record keeps the file line it starts on.
final class LettoreCSV {
    let lettore: LettoreFile
    let separatore: UInt8
    let chiavi: [String]
    let rigaIntestazione: Int
    private var linea = 0

    init(lettore: LettoreFile) throws {
        self.lettore = lettore
        var primaRiga: ArraySlice<UInt8>?
        while let r = try lettore.riga() {
            linea += 1
            if !r.isEmpty { primaRiga = r; break }
        }
        let numero = linea
        rigaIntestazione = numero
        guard let intestazione = primaRiga else { separatore = 0x2C; chiavi = []; return }
        let virgole = intestazione.filter { $0 == 0x2C }.count, puntiEVirgola = intestazione.filter { $0 == 0x3B }.count
        let sep: UInt8 = puntiEVirgola > virgole ? 0x3B : 0x2C
        separatore = sep
        let campi = try Self.campi(intestazione, separatore: sep, linea: numero, altre: { nil })
        chiavi = try campi.map { c in
            guard let s = String(validating: c, as: UTF8.self) else { throw RifiutoRiga(riga: numero, messaggio: "intestazione non in UTF-8") }
            var t = Substring(s)
            while t.first == " " { t.removeFirst() }
            while t.last == " " { t.removeLast() }
            return String(t)
        }
        guard Set(chiavi).count == chiavi.count else { throw RifiutoRiga(riga: numero, messaggio: "intestazione con colonne ripetute") }
        guard chiavi.contains("comando") else { throw RifiutoRiga(riga: numero, messaggio: "intestazione senza la colonna 'comando'") }
    }

    func prossimo() throws -> RecordImportato? {
        guard !chiavi.isEmpty else { return nil }
        while let r = try lettore.riga() {
            linea += 1
            if r.isEmpty { continue }
            let inizio = linea
            let valori = try Self.campi(r, separatore: separatore, linea: inizio, altre: {
                guard let altra = try self.lettore.riga() else { return nil }
                self.linea += 1
                return altra
            })
            // Excel saves blank rows as separators only: like a blank line, they are skipped.
            if valori.allSatisfy(\.isEmpty) { continue }
            guard valori.count == chiavi.count else {
                throw RifiutoRiga(riga: inizio, messaggio: "\(valori.count) campi, l'intestazione ne ha \(chiavi.count)")
            }
            var campi: [(String, String?)] = []
            campi.reserveCapacity(chiavi.count)
            for (k, v) in zip(chiavi, valori) {
                guard let s = String(validating: v, as: UTF8.self) else { throw RifiutoRiga(riga: inizio, messaggio: "il campo '\(k)' non è testo UTF-8") }
                campi.append((k, s.isEmpty ? nil : s))
            }
            return RecordImportato(riga: inizio, campi: campi)
        }
        return nil
    }

    /// Splits one record; `altre` gives the next physical line when a quoted field goes on past the end.
    static func campi(_ riga: ArraySlice<UInt8>, separatore: UInt8, linea: Int, altre: () throws -> ArraySlice<UInt8>?) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        var campo: [UInt8] = []
        var tra = false, chiuso = false
        var corrente = riga
        while true {
            var i = corrente.startIndex
            while i < corrente.endIndex {
                let b = corrente[i]
                i += 1
                if tra {
                    if b == 0x22 {
                        if i < corrente.endIndex, corrente[i] == 0x22 { campo.append(0x22); i += 1 } else { tra = false; chiuso = true }
                    } else {
                        campo.append(b)
                    }
                    continue
                }
                if b == separatore {
                    out.append(campo); campo = []; chiuso = false
                } else if b == 0x22 {
                    guard campo.isEmpty, !chiuso else { throw RifiutoRiga(riga: linea, messaggio: "virgolette in mezzo a un campo CSV") }
                    tra = true
                } else {
                    guard !chiuso else { throw RifiutoRiga(riga: linea, messaggio: "testo dopo le virgolette di chiusura") }
                    campo.append(b)
                }
            }
            guard tra else { break }
            guard let prossima = try altre() else { throw RifiutoRiga(riga: linea, messaggio: "virgolette non chiuse") }
            guard campo.count < LettoreFile.rigaMax else {
                throw RifiutoRiga(riga: linea, messaggio: "campo tra virgolette oltre \(LettoreFile.rigaMax / 1_048_576) MiB: virgolette non chiuse?")
            }
            campo.append(0x0A)
            corrente = prossima
        }
        out.append(campo)
        return out
    }
}

/// Reads, parses and validates the lines of an import on a second thread, in batches, while the caller's
/// thread applies them (the same two-core pipeline as the replay, ADR 0009). Errors arrive in line order,
/// where the line was: everything before it has been handed over, nothing after it.
public final class ImportazioneInParallelo {
    struct Lotto: @unchecked Sendable {
        var passi: [Passo] = []
        var errore: (any Error)?
        var ultimo = false
        var righe = 0
        var byte: Int64 = 0
    }
    /// The producer alone uses the import; the consumer sees only what batches carry.
    struct Scatola: @unchecked Sendable { let importazione: Importazione }

    static let passiPerLotto = 512
    let condotto = Condotto<Lotto>(capacita: 8)
    let finito = DispatchSemaphore(value: 0)
    private var corrente = Lotto()
    private var indice = 0
    private var chiuso = false
    public private(set) var righe = 0
    public private(set) var byteLetti: Int64 = 0
    public let dimensione: Int64

    public init(_ importazione: Importazione) {
        dimensione = importazione.dimensione
        let scatola = Scatola(importazione: importazione)
        let condotto = self.condotto, finito = self.finito
        DispatchQueue.global().async {
            let imp = scatola.importazione
            var lotto = Lotto()
            while true {
                if condotto.eAnnullato { lotto.ultimo = true; condotto.invia(lotto); break }
                do {
                    guard let p = try imp.prossimo() else {
                        lotto.ultimo = true
                        lotto.righe = imp.righe
                        lotto.byte = imp.byteLetti
                        condotto.invia(lotto)
                        break
                    }
                    lotto.passi.append(p)
                    if lotto.passi.count == Self.passiPerLotto {
                        lotto.righe = imp.righe
                        lotto.byte = imp.byteLetti
                        condotto.invia(lotto)
                        lotto = Lotto()
                    }
                } catch {
                    lotto.errore = error
                    lotto.ultimo = true
                    condotto.invia(lotto)
                    break
                }
            }
            finito.signal()
        }
    }

    deinit { chiudi() }

    /// The next command, or nil at the end; throws the error of a line when its turn comes.
    public func prossimo() throws -> Passo? {
        while indice == corrente.passi.count {
            if corrente.ultimo {
                if let e = corrente.errore { corrente.errore = nil; throw e }
                return nil
            }
            corrente = condotto.ricevi()
            indice = 0
            righe = corrente.righe
            byteLetti = corrente.byte
            if corrente.ultimo { chiuso = true; finito.wait() }
        }
        defer { indice += 1 }
        return corrente.passi[indice]
    }

    /// Stops the reader (after a refusal) and waits for it. Idempotent.
    public func chiudi() {
        guard !chiuso else { return }
        chiuso = true
        condotto.annulla()
        while !condotto.ricevi().ultimo {}
        finito.wait()
    }
}
