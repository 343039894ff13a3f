package GLPI::Agent::Tools::PartNumber::Positivo;

use strict;
use warnings;

use parent 'GLPI::Agent::Tools::PartNumber';

use constant match_re   => undef;

use constant category       => "memory";
use constant manufacturer   => "Positivo Informática";
use constant mm_id          => "Bank 5, Hex 0x16";

1;
