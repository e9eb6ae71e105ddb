import ArgumentParser
import Fondi
import FondiStore

/// A command that appends events. `comando()` parses its values; `run()` is shared.
protocol ComandoScrittura: ParsableCommand {
    var comuni: OpzioniComuni { get }
    func comando() throws -> Comando
}

extension ComandoScrittura {
    mutating func run() throws {
        let registro = try comuni.apri()
        let formato = try comuni.formatoScelto()
        let passo = Passo(comando: try comando(), contesto: try comuni.contesto())
        let esiti = try registro.registra([passo])
        Uscita.stampa(Uscita.esiti(esiti, formato: formato))
    }
}

struct FonteComando: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fonte", abstract: "Registra, integra o riduce una fonte di finanziamento.",
        subcommands: [Registra.self, Integra.self, Riduci.self])

    struct Registra: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Registra una fonte con il suo importo assegnato.")
        @Option var codice: String
        @Option var tipo: String
        @Option(parsing: .unconditional) var annualita: String
        @Option(parsing: .unconditional) var importo: String
        @Flag(help: "Fonte vincolata a una destinazione.") var vincolata = false
        @Flag(help: "Fonte libera da vincoli.") var libera = false
        @Option var descrizione: String?
        @OptionGroup var comuni: OpzioniComuni

        func comando() throws -> Comando {
            guard vincolata != libera else {
                throw Rifiuto(regola: "4.11", "fonte \(codice): indica esattamente una tra --vincolata e --libera")
            }
            return .fonteRegistra(codice: codice, tipo: tipo, annualita: try Lettura.anno(annualita, campo: "annualita"),
                                  importo: try Lettura.importo(importo), vincolata: vincolata, descrizione: descrizione)
        }
    }

    struct Integra: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Aumenta l'importo assegnato di una fonte.")
        @Option var codice: String
        @Option(parsing: .unconditional) var importo: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando { .fonteIntegra(codice: codice, importo: try Lettura.importo(importo)) }
    }

    struct Riduci: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Riduce l'importo assegnato di una fonte (entro il libero).")
        @Option var codice: String
        @Option(parsing: .unconditional) var importo: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando { .fonteRiduci(codice: codice, importo: try Lettura.importo(importo)) }
    }
}

struct ServizioComando: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "servizio", abstract: "Registra un servizio del Piano.", subcommands: [Registra.self])

    struct Registra: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Registra un servizio (codice e descrizione).")
        @Option var codice: String
        @Option var descrizione: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando { .servizioRegistra(codice: codice, descrizione: descrizione) }
    }
}

/// `fondi programma --fonte …` disposes a programmazione; `riduci` and `sposta` are its siblings. The
/// disposition is the default subcommand, so the parent has no options of its own (argument-parser parses
/// a parent's options even when a subcommand runs, and would take `--fonte` away from `riduci`).
struct Programma: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dispone (predefinito), riduce o sposta la programmazione di una linea (fonte, servizio, esercizio).",
        subcommands: [Disponi.self, Riduci.self, Sposta.self], defaultSubcommand: Disponi.self)

    /// A linea and an amount: what `programma` and `programma riduci` take.
    struct OpzioniLinea: ParsableArguments {
        @Option var fonte: String
        @Option var servizio: String
        @Option(parsing: .unconditional) var esercizio: String
        @Option(parsing: .unconditional) var importo: String

        func valori() throws -> (LineaChiave, Importo) {
            (LineaChiave(fonte: fonte, servizio: servizio, esercizio: try Lettura.anno(esercizio, campo: "esercizio")), try Lettura.importo(importo))
        }
    }

    struct Disponi: ComandoScrittura {
        static let configuration = CommandConfiguration(
            abstract: "Dispone una programmazione: 'fondi programma --fonte F --servizio S --esercizio E --importo X --atto A'.")
        @OptionGroup var linea: OpzioniLinea
        @OptionGroup var comuni: OpzioniComuni

        func comando() throws -> Comando {
            let (l, i) = try linea.valori()
            return .programma(linea: l, importo: i)
        }
    }

    struct Riduci: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Riduce la programmazione di una linea (non sotto l'impegnato).")
        @OptionGroup var linea: OpzioniLinea
        @OptionGroup var comuni: OpzioniComuni

        func comando() throws -> Comando {
            let (l, i) = try linea.valori()
            return .programmaRiduci(linea: l, importo: i)
        }
    }

    struct Sposta: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Sposta programmazione tra due servizi della stessa fonte ed esercizio.")
        @Option var fonte: String
        @Option(parsing: .unconditional) var esercizio: String
        @Option var da: String
        @Option var a: String
        @Option(parsing: .unconditional) var importo: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando {
            .programmaSposta(fonte: fonte, esercizio: try Lettura.anno(esercizio, campo: "esercizio"), da: da, a: a,
                             importo: try Lettura.importo(importo))
        }
    }
}

struct Impegna: ComandoScrittura {
    static let configuration = CommandConfiguration(abstract: "Assume un impegno su una linea.")
    @Option var numero: String
    @Option var fonte: String
    @Option var servizio: String
    @Option(parsing: .unconditional) var esercizio: String
    @Option(parsing: .unconditional) var importo: String
    @Option var creditore: String
    @Option var oggetto: String
    @Option var cig: String?
    @Option var cup: String?
    @OptionGroup var comuni: OpzioniComuni
    func comando() throws -> Comando {
        .impegna(numero: numero, linea: LineaChiave(fonte: fonte, servizio: servizio, esercizio: try Lettura.anno(esercizio, campo: "esercizio")),
                 importo: try Lettura.importo(importo), creditore: creditore, oggetto: oggetto, cig: cig, cup: cup)
    }
}

struct ImpegnoComando: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "impegno", abstract: "Riduce un impegno.", subcommands: [Riduci.self])

    struct Riduci: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Riduce un impegno dell'esercizio aperto (entro il da liquidare).")
        @Option var impegno: String
        @Option(parsing: .unconditional) var importo: String
        @Option var motivo: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando { .impegnoRiduci(impegno: impegno, importo: try Lettura.importo(importo), motivo: motivo) }
    }
}

struct Liquida: ComandoScrittura {
    static let configuration = CommandConfiguration(abstract: "Dispone una liquidazione su un impegno.")
    @Option var numero: String
    @Option var impegno: String
    @Option(parsing: .unconditional) var importo: String
    @Option var documento: String?
    @OptionGroup var comuni: OpzioniComuni
    func comando() throws -> Comando {
        .liquida(numero: numero, impegno: impegno, importo: try Lettura.importo(importo), documento: documento)
    }
}

struct LiquidazioneComando: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liquidazione", abstract: "Annulla una liquidazione.", subcommands: [Annulla.self])

    struct Annulla: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Annulla la parte non pagata di una liquidazione.")
        @Option var liquidazione: String
        @Option(parsing: .unconditional) var importo: String
        @Option var motivo: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando {
            .liquidazioneAnnulla(liquidazione: liquidazione, importo: try Lettura.importo(importo), motivo: motivo)
        }
    }
}

struct Paga: ComandoScrittura {
    static let configuration = CommandConfiguration(abstract: "Emette un mandato di pagamento su una liquidazione.")
    @Option var mandato: String
    @Option var liquidazione: String
    @Option(parsing: .unconditional) var importo: String
    @OptionGroup var comuni: OpzioniComuni
    func comando() throws -> Comando { .paga(mandato: mandato, liquidazione: liquidazione, importo: try Lettura.importo(importo)) }
}

struct ResiduoComando: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "residuo", abstract: "Elimina un residuo passivo (riaccertamento).", subcommands: [Elimina.self])

    struct Elimina: ComandoScrittura {
        static let configuration = CommandConfiguration(abstract: "Elimina un residuo senza obbligazione sottostante; l'importo torna libero.")
        @Option var impegno: String
        @Option(parsing: .unconditional) var importo: String
        @Option var motivo: String
        @OptionGroup var comuni: OpzioniComuni
        func comando() throws -> Comando { .residuoElimina(impegno: impegno, importo: try Lettura.importo(importo), motivo: motivo) }
    }
}

struct Chiudi: ComandoScrittura {
    static let configuration = CommandConfiguration(abstract: "Chiude un esercizio: riporta i residui, rileva le economie.")
    @Option(parsing: .unconditional) var esercizio: String
    @Flag(help: "Mostra cosa verrebbe registrato senza scrivere nulla.") var prova = false
    @OptionGroup var comuni: OpzioniComuni

    func comando() throws -> Comando {
        if prova && Importa.inCorso { throw ErroreValore("--prova non si usa nelle righe da importare") }
        return .chiudi(esercizio: try Lettura.anno(esercizio, campo: "esercizio"))
    }

    mutating func run() throws {
        let registro = try comuni.apri()
        let formato = try comuni.formatoScelto()
        var contesto = try comuni.contesto()
        if prova { contesto = Contesto(data: contesto.data, atto: contesto.atto, utente: contesto.utente, chiave: nil) }
        let esiti = try registro.registra([Passo(comando: try comando(), contesto: contesto)], prova: prova)
        Uscita.stampa(Uscita.chiusura(esiti[0], prova: prova, formato: formato))
    }
}
