package specconv

import (
	"errors"
	"os"
	"strings"
)

// appArmorEnabledPath is a variable so tests can point it elsewhere.
var appArmorEnabledPath = "/sys/module/apparmor/parameters/enabled"

// checkAppArmor rejects a profile on a host without AppArmor rather than
// starting the container unconfined: dropping a requested confinement
// silently would be a security bug. The init applies the profile.
func checkAppArmor(profile string) error {
	if profile == "" || appArmorEnabled() {
		return nil
	}
	return errors.New("process.apparmorProfile: AppArmor is not enabled on this host")
}

func appArmorEnabled() bool {
	data, err := os.ReadFile(appArmorEnabledPath)
	return err == nil && strings.TrimSpace(string(data)) == "Y"
}
