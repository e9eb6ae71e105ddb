import FondiServizi
import Testing

/// Every command of the table has a way to run (issue 19): an `Operazione` with its own handler, or a plain
/// write that the table turns into a domain `Comando`; no name is matched as a string with a silent fallback.
@Suite struct CatalogoTests {
    @Test func ogniComandoHaUnGestore() {
        for d in Catalogo.tutti {
            #expect(Operazione(d) != nil || d.scrive, "\(d.nome): né operazione né scrittura")
        }
    }

    @Test func ogniOperazioneEInTabella() {
        for o in Operazione.allCases {
            #expect(Catalogo.definizione(o.rawValue)?.nome == o.rawValue, "\(o.rawValue) non è nel catalogo")
        }
    }
}
