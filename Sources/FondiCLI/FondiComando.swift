import ArgumentParser
import Fondi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The `fondi` command tree (DOMAIN §7), declared in one place.
struct FondiComando: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fondi",
        abstract: "Registro a eventi degli impegni di fondi pubblici (Ufficio di Piano).",
        subcommands: [
            Init.self, FonteComando.self, ServizioComando.self, Programma.self, Impegna.self, ImpegnoComando.self,
            Liquida.self, LiquidazioneComando.self, Paga.self, Chiudi.self, ResiduoComando.self,
            Residui.self, Saldi.self, Prospetto.self, Storia.self, Importa.self, Esporta.self, Verifica.self, Replay.self, Snapshot.self,
        ])

    /// DOMAIN §7 exit codes: 0 success; 1 refused by a rule or a bad value; 2 usage; 3 integrity failure.
    static func codiceUscita(per errore: any Error) -> Int32 {
        switch errore {
        case is Rifiuto, is RifiutoRiga, is ErroreValore, is Registro.ErroreApertura, is ErroreArchivio, is ImportoTestoErrore:
            return 1
        case is VerificaFallita, is ErroreIntegrita:
            return 3
        default:
            return exitCode(for: errore) == .success ? 0 : 2
        }
    }

    /// The text shown for an error: Italian for ours; argument-parser's own for usage errors (ADR 0005).
    static func messaggio(per errore: any Error) -> String {
        switch errore {
        case let e as Rifiuto: "errore: \(e.messaggio)"
        case let e as RifiutoRiga: "errore: \(e.description); nulla è stato importato"
        case let e as ErroreValore: "errore: \(e.messaggio)"
        case let e as Registro.ErroreApertura: "errore: \(e.description)"
        case let e as ErroreArchivio: "errore: \(e.messaggio)"
        case let e as VerificaFallita: "verifica fallita: \(e.messaggio)"
        case let e as ErroreIntegrita: "verifica fallita: \(e.description)"
        default:
            exitCode(for: errore) == .success ? fullMessage(for: errore)
                : "errore d'uso: \(message(for: errore))\n" + usageString(for: errore) + "\nPer l'aiuto: fondi --help"
        }
    }

    static func usageString(for errore: any Error) -> String {
        let righe = fullMessage(for: errore).split(separator: "\n")
        return righe.first { $0.hasPrefix("Usage:") }.map(String.init) ?? ""
    }

    /// Parses and runs one command line; returns the exit code. Never crashes on bad input.
    static func esegui(_ argomenti: [String]) -> Int32 {
        do {
            var comando = try parseAsRoot(argomenti)
            try comando.run()
            return 0
        } catch {
            let codice = codiceUscita(per: error)
            if codice == 0 { Uscita.stampa(messaggio(per: error)) } else { Uscita.errore(messaggio(per: error)) }
            return codice
        }
    }
}

@main
enum Principale {
    static func main() {
        exit(FondiComando.esegui(Array(CommandLine.arguments.dropFirst())))
    }
}
