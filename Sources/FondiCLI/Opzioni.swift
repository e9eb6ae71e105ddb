import ArgumentParser
import Fondi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A value that does not parse (amount, date, year, seq, `--per`, `--formato`): exit 1, nothing written.
struct ErroreValore: Error, Equatable, CustomStringConvertible {
    let messaggio: String
    init(_ messaggio: String) { self.messaggio = messaggio }
    var description: String { messaggio }
}

/// Options every command accepts (DOMAIN §7). Values are kept as text and parsed in `run()`, so a bad
/// value is a refusal with an Italian message (exit 1), not a usage error (exit 2).
struct OpzioniComuni: ParsableArguments {
    @Option(help: "File del registro (predefinito: $FONDI_DB, altrimenti ./fondi.sqlite).")
    var db: String?
    @Option(parsing: .unconditional, help: "Data contabile dell'atto, AAAA-MM-GG (predefinita: oggi).")
    var data: String?
    @Option(help: "Atto di riferimento, es. \"Det. 145/2023\".")
    var atto: String?
    @Option(help: "Chiave di idempotenza: ripetere il comando con la stessa chiave non scrive nulla.")
    var chiave: String?
    @Option(help: "Utente che registra (predefinito: $USER).")
    var utente: String?
    @Option(help: "Formato di uscita: tabella, json, csv.")
    var formato: String = "tabella"

    var percorso: String {
        if let db { return db }
        if let env = getenv("FONDI_DB"), let s = String(validatingCString: env), !s.isEmpty { return s }
        return "fondi.sqlite"
    }

    func formatoScelto() throws -> Formato {
        guard let f = Formato(rawValue: formato) else {
            throw ErroreValore("formato '\(formato)' non valido: usa tabella, json oppure csv")
        }
        return f
    }

    func contesto() throws -> Contesto {
        let d: DataContabile
        if let data { d = try Lettura.data(data, campo: "data") } else { d = Orologio.oggi() }
        let u = utente ?? getenv("USER").flatMap { String(validatingCString: $0) } ?? "fondi"
        return Contesto(data: d, atto: atto, utente: u.isEmpty ? "fondi" : u, chiave: chiave)
    }

    func apri() throws -> Registro { try Registro.apri(percorso: percorso) }
}

/// Options of the queries that look back in time (DOMAIN §6).
struct OpzioniTempo: ParsableArguments {
    @Option(parsing: .unconditional, help: "Vista contabile: solo gli eventi datati fino a questo giorno (AAAA-MM-GG).")
    var al: String?
    @Option(name: .customLong("fino-a"), parsing: .unconditional, help: "Ciò che il registro sapeva dopo l'evento SEQ.")
    var finoA: String?
}

/// Parsing of typed values, each refusal naming the option and the value.
enum Lettura {
    static func importo(_ testo: String, campo: String = "importo") throws -> Importo {
        do { return try Importo(testo: testo) } catch { throw ErroreValore("--\(campo): \(error.description)") }
    }

    static func data(_ testo: String, campo: String) throws -> DataContabile {
        guard let d = DataContabile(testo: testo) else {
            throw ErroreValore("--\(campo) '\(testo)' non valida: scrivi la data come AAAA-MM-GG, ad esempio 2023-02-01")
        }
        return d
    }

    static func anno(_ testo: String, campo: String) throws -> Int {
        guard testo.count == 4, testo.allSatisfy({ $0.isASCII && $0.isNumber }), let a = Int(testo),
              (Limiti.annoMin...Limiti.annoMax).contains(a) else {
            throw ErroreValore("--\(campo) '\(testo)' non valido: atteso un anno di quattro cifre tra \(Limiti.annoMin) e \(Limiti.annoMax)")
        }
        return a
    }

    static func seq(_ testo: String, campo: String) throws -> Int64 {
        guard !testo.isEmpty, testo.count <= 18, testo.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int64(testo), n >= 1 else {
            throw ErroreValore("--\(campo) '\(testo)' non valido: atteso un numero di evento (seq) da 1 in su")
        }
        return n
    }
}
