package store

// Chat text for the large dataset (SeedOptions.Messages): words drawn from
// a fixed vocabulary with a Zipf distribution, as real chat is, so a search
// meets both very common words (matching a large share of all messages)
// and rare ones (a handful of conversations). The real words come first,
// most frequent first, in English, Spanish and Portuguese; after them a
// long tail of made-up words built from syllables, which stands in for
// names, product codes and typos.

import (
	"math/rand/v2"
	"strings"
)

var seedWords = strings.Fields(`
the de que to a y o you my i is no em la it el para order and of não por
refund pedido help please in un una for on with this con pago problema
was have account delivery reembolso entrega conta cuenta atendimento
can payment card tarjeta cartão hola olá obrigado gracias thanks today
hoy hoje ayer ontem tomorrow mañana amanhã price precio preço invoice
factura fatura ticket password contraseña senha login app error falha
cancel cancelar change cambiar trocar address dirección endereço phone
teléfono telefone email correo store tienda loja package paquete pacote
arrived llegó chegou damaged dañado danificado wrong equivocado errado
subscription suscripción assinatura plan plano discount descuento desconto
coupon cupón cupom shipping envío frete tracking seguimiento rastreio
week semana month mes mês charged cobrado twice dos veces duas vezes
still todavía ainda waiting esperando aguardando agent agente person
persona pessoa manager gerente urgent urgente broken roto quebrado
screen pantalla tela update actualizar atualizar bank banco transfer
transferencia transferência receipt recibo comprovante number número
`)

// seedSyllables build the made-up tail: rank r spells its digits in base
// len(seedSyllables), so every tail word is distinct and stable.
var seedSyllables = []string{"ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ba", "xe", "fo", "gu", "zi", "ho"}

// seedVocabulary is how many distinct words the text uses: the real ones
// plus the tail.
const seedVocabulary = 60_000

// SeedWord is the word of rank r (0 the most frequent) in the dataset's
// vocabulary, so a benchmark can search for a common or a rare word.
func SeedWord(r int) string {
	if r < len(seedWords) {
		return seedWords[r]
	}
	r -= len(seedWords)
	var b strings.Builder
	b.WriteString("zy") // no real word of the list starts so
	for {
		b.WriteString(seedSyllables[r%len(seedSyllables)])
		r /= len(seedSyllables)
		if r == 0 {
			return b.String()
		}
	}
}

// seedChat writes one line of 3 to 14 words.
func seedChat(rng *rand.Rand, z *rand.Zipf) string {
	n := 3 + rng.IntN(12)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(SeedWord(int(z.Uint64())))
	}
	return b.String()
}

// newSeedZipf is the word distribution: s = 1.1 makes the top word about
// one word in seven, and most of the tail a few times in millions.
func newSeedZipf(rng *rand.Rand) *rand.Zipf {
	return rand.NewZipf(rng, 1.1, 1, seedVocabulary-1)
}
