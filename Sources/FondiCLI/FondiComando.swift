import Fondi
import FondiServizi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The `fondi` executable: parses the command line against the shared `Catalogo`, runs the command,
/// maps the error category to the exit codes of DOMAIN §7.
enum FondiComando {
    /// Parses and runs one command line; returns the exit code. Never crashes on bad input.
    static func esegui(_ argomenti: [String]) -> Int32 {
        do {
            switch try Analisi.comandoLinea(argomenti) {
            case let .aiuto(testo): Uscita.stampa(testo)
            case .versione: Uscita.stampa("fondi \(Versione.corrente)")
            case let .esegui(invocazione): try Comandi.esegui(invocazione)
            }
            return 0
        } catch {
            let categoria = Categoria(error)
            var testo = "errore: \(messaggio(di: error))"
            if let e = error as? ErroreUso {
                testo = "errore d'uso: \(e.messaggio)"
                if let nome = e.comando, let d = Catalogo.definizione(nome) {
                    testo += "\n\(Aiuto.uso(d))\nPer l'aiuto: fondi \(nome) --help"
                } else {
                    testo += "\nPer l'aiuto: fondi --help"
                }
            } else if error is ErroreUsoRiga {
                testo = "errore d'uso: \(messaggio(di: error))"
            } else if categoria == .integrita {
                testo = "verifica fallita: \(messaggio(di: error))"
            }
            Uscita.errore(testo)
            return categoria.codiceUscita
        }
    }
}

@main
enum Principale {
    static func main() {
        exit(FondiComando.esegui(Array(CommandLine.arguments.dropFirst())))
    }
}
