import ArgumentParser
import Fondi
import FondiStore

/// An integrity failure found by `verifica` (exit 3).
struct VerificaFallita: Error, CustomStringConvertible {
    let messaggio: String
    var description: String { messaggio }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Crea il registro (se esiste già non cambia nulla).")
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let (registro, creato) = try Registro.inizializza(percorso: comuni.percorso)
        let eventi = try registro.numeroEventi()
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto(["db": .stringa(comuni.percorso), "creato": .booleano(creato), "eventi": .intero(eventi)]).testoCanonico)
        case .csv:
            Uscita.stampa("db,creato,eventi\n\(Rendering.campoCSV(comuni.percorso)),\(creato),\(eventi)")
        case .tabella:
            Uscita.stampa(creato ? "registro creato: \(comuni.percorso)" : "registro già esistente, nessuna modifica: \(comuni.percorso) (\(eventi) eventi)")
        }
    }
}

struct Esporta: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Esporta gli eventi in JSON Lines, con i loro hash.")
    @Option(name: .customLong("fino-a"), parsing: .unconditional, help: "Esporta fino all'evento SEQ.") var finoA: String?
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let fino = try finoA.map { try Lettura.seq($0, campo: "fino-a") }
        let registro = try comuni.apri()
        if let fino, fino > (try registro.numeroEventi()) {
            throw ErroreValore("--fino-a \(fino) oltre l'ultimo evento registrato (seq \(try registro.numeroEventi()))")
        }
        var buffer = ""
        try registro.leggiEventi(fino: fino) { e in
            buffer += e.oggettoEsportato.testoCanonico
            buffer += "\n"
            if buffer.utf8.count > 1 << 16 { Uscita.stampa(buffer); buffer = "" }
        }
        if !buffer.isEmpty { Uscita.stampa(buffer) }
    }
}

struct Verifica: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ricalcola la catena degli hash e le proiezioni dagli eventi; con --digest prova che un hash è nella catena.")
    @Option(help: "Hash (64 cifre esadecimali) che deve comparire nella catena, es. quello stampato da 'chiudi'.") var digest: String?
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let cercato = try digest.map { d -> [UInt8] in
            guard let b = Catena.byteDaEsadecimale(d) else { throw ErroreValore("--digest '\(d)' non valido: attese 64 cifre esadecimali") }
            return b
        }
        let registro = try comuni.apri()
        let r = try Avanzamento.esegui(totale: try registro.numeroEventi(), formato: formato) { a in
            try registro.verifica(digest: cercato, ogniEvento: { _ in a.passo() })
        }
        let esito = r.differenze.isEmpty && (cercato == nil || r.digestSeq != nil)
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto([
                "esito": .stringa(esito ? "ok" : "errore"), "eventi": .intero(r.eventi), "testa": .stringa(r.testa),
                "differenze": .lista(r.differenze.map(ValoreJSON.stringa)),
                "digest_seq": r.digestSeq.map(ValoreJSON.intero) ?? .nullo,
            ]).testoCanonico)
        case .csv:
            Uscita.stampa("esito,eventi,testa,digest_seq\n\(esito ? "ok" : "errore"),\(r.eventi),\(r.testa),\(r.digestSeq.map(String.init) ?? "")")
        case .tabella:
            if r.differenze.isEmpty {
                Uscita.stampa("catena integra: \(r.eventi) eventi, hash di testa \(r.testa)\nproiezioni coerenti con la ricostruzione dagli eventi")
            }
            if let d = digest {
                Uscita.stampa(r.digestSeq.map { "il digest \(d) corrisponde all'evento seq \($0)" } ?? "")
            }
        }
        if !r.differenze.isEmpty {
            throw VerificaFallita(messaggio: "proiezioni o istantanee non coerenti con gli eventi:\n  " + r.differenze.joined(separator: "\n  "))
        }
        if let d = digest, r.digestSeq == nil {
            throw VerificaFallita(messaggio: "il digest \(d) non compare nella catena di \(r.eventi) eventi")
        }
    }
}
