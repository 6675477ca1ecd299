import { Pseudonym } from '@amanat/domain'
import type { Prng } from './prng.ts'

/**
 * Pseudonyms for synthetic respondents: a colour or pigment and a tree or bird ("Cobalt
 * Tamarisk"). Words that are also common given names or surnames (Amber, Hazel, Robin, Crane,
 * Finch…) are left out on purpose, so that no pseudonym reads like a real person's name.
 */
export const PSEUDONYM_COLOURS = [
  'Auburn',
  'Azure',
  'Beige',
  'Bronze',
  'Carmine',
  'Celadon',
  'Cerulean',
  'Charcoal',
  'Chartreuse',
  'Cinnabar',
  'Citrine',
  'Cobalt',
  'Crimson',
  'Cyan',
  'Fawn',
  'Garnet',
  'Graphite',
  'Indigo',
  'Khaki',
  'Lapis',
  'Lilac',
  'Magenta',
  'Malachite',
  'Maroon',
  'Mauve',
  'Obsidian',
  'Ochre',
  'Pewter',
  'Russet',
  'Saffron',
  'Sepia',
  'Slate',
  'Taupe',
  'Tawny',
  'Teal',
  'Turquoise',
  'Umber',
  'Verdigris',
  'Vermilion',
  'Viridian',
] as const

export const PSEUDONYM_NATURE = [
  'Acacia',
  'Alder',
  'Almond',
  'Apricot',
  'Barberry',
  'Birch',
  'Boxwood',
  'Buckthorn',
  'Catalpa',
  'Cedar',
  'Chestnut',
  'Cypress',
  'Elm',
  'Fig',
  'Hawthorn',
  'Hornbeam',
  'Jujube',
  'Larch',
  'Maple',
  'Mulberry',
  'Oak',
  'Oleander',
  'Pine',
  'Pistachio',
  'Plane',
  'Plum',
  'Pomegranate',
  'Poplar',
  'Quince',
  'Saxaul',
  'Spruce',
  'Sumac',
  'Sycamore',
  'Tamarind',
  'Tamarisk',
  'Walnut',
  'Wisteria',
  'Yew',
  'Avocet',
  'Bittern',
  'Bunting',
  'Bustard',
  'Buzzard',
  'Chough',
  'Cormorant',
  'Curlew',
  'Dipper',
  'Egret',
  'Falcon',
  'Flamingo',
  'Godwit',
  'Goldcrest',
  'Goshawk',
  'Grebe',
  'Griffon',
  'Harrier',
  'Hoopoe',
  'Ibis',
  'Kestrel',
  'Kingfisher',
  'Lammergeier',
  'Lapwing',
  'Lark',
  'Magpie',
  'Nightjar',
  'Nuthatch',
  'Oriole',
  'Owl',
  'Pelican',
  'Pipit',
  'Plover',
  'Pochard',
  'Redstart',
  'Roller',
  'Rosefinch',
  'Sandgrouse',
  'Sandpiper',
  'Shrike',
  'Skylark',
  'Snowcock',
  'Sparrowhawk',
  'Starling',
  'Stonechat',
  'Stork',
  'Tern',
  'Treecreeper',
  'Vulture',
  'Wagtail',
  'Warbler',
  'Waxwing',
  'Wheatear',
  'Whimbrel',
  'Woodpecker',
  'Wryneck',
] as const

const SPACE = PSEUDONYM_COLOURS.length * PSEUDONYM_NATURE.length

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/**
 * Gives respondent number `index` its pseudonym: an affine permutation of the word pairs, keyed
 * by the study's seed, so every index has its own pair (unique within the study without keeping
 * a set of names used) and a respondent's pseudonym does not depend on how many came before.
 * Past the number of pairs, a plain counter is appended ("Cobalt Tamarisk 2").
 */
export class PseudonymBook {
  private readonly multiplier: number
  private readonly offset: number

  constructor(prng: Prng) {
    let multiplier = prng.int(1, SPACE - 1)
    while (gcd(multiplier, SPACE) !== 1) multiplier = multiplier + 1 === SPACE ? 1 : multiplier + 1
    this.multiplier = multiplier
    this.offset = prng.int(0, SPACE - 1)
  }

  /** The pseudonym of the respondent at zero-based `index`. */
  pseudonymAt(index: number): Pseudonym {
    const round = Math.floor(index / SPACE)
    const slot = (this.multiplier * (index % SPACE) + this.offset) % SPACE
    const colour = PSEUDONYM_COLOURS[slot % PSEUDONYM_COLOURS.length] as string
    const nature = PSEUDONYM_NATURE[Math.floor(slot / PSEUDONYM_COLOURS.length)] as string
    return Pseudonym.parse(round === 0 ? `${colour} ${nature}` : `${colour} ${nature} ${round + 1}`)
  }
}
